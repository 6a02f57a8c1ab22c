// The recipe pages: one per recipe package (its package.json's "auth-recipes" manifest), each the
// package's title and its README's `docs` region. The README is the one copy of the page, so a new
// recipe package has its page without a file here.
import { recipePackages } from "../../scripts/recipe-packages.ts";

export default {
  paths() {
    return recipePackages().map(({ dir, title }) => ({
      params: { recipe: dir },
      content: `# ${title}\n\n<!--@include: ../../packages/${dir}/README.md#docs-->\n`,
    }));
  },
};
