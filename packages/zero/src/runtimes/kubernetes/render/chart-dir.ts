export const CHART_DIR = "infrastructure/helm/zero-to-running";
