// A class that extends Error would otherwise list Error's own members (captureStackTrace,
// stackTraceLimit, …) with Node's long comments: keep only what our packages declare or document.
import { Converter, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const owner of project.getReflectionsByKind(ReflectionKind.Class)) {
      for (const child of [...(owner.children ?? [])]) {
        // Inherited from something the documented packages do not declare (a lib.d.ts type).
        if (child.inheritedFrom && !child.inheritedFrom.reflection) {
          project.removeReflection(child);
        }
      }
    }
  });
}
