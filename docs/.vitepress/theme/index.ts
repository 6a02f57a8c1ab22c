import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import BenchFigures from "./BenchFigures.vue";
import "./style.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("BenchFigures", BenchFigures);
  },
} satisfies Theme;
