// Each entry point's module is named by its import path (`@auth-recipes/core`, `@auth-recipes/core/kit`)
// rather than by its file's path, so the pages sit at api/<import path>.md.
import { Converter, ReflectionKind } from "typedoc";
import { apiEntries } from "./entries.mjs";

/** @param {import("typedoc").Application} app */
export function load(app) {
  const names = new Map(apiEntries().map(({ file, name }) => [file.replaceAll("\\", "/"), name]));
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    const name = file && names.get(file.replaceAll("\\", "/"));
    if (name) reflection.name = name;
  });
}
