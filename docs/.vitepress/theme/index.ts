import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import BenchCharts from "./BenchCharts.vue";
import BenchFigures from "./BenchFigures.vue";
import "./style.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("BenchCharts", BenchCharts);
    app.component("BenchFigures", BenchFigures);
  },
} satisfies Theme;
