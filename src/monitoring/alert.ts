// One alert kec generates: the PromQL, its severity and texts, and the Cilium metrics it needs.

export interface AlertDef {
  alert: string;
  expr: string;
  for: string;
  severity: 'critical' | 'warning' | 'info';
  summary: string;
  description: string;
  runbook: string;
  /** Cilium agent metrics the expression uses (checked against the chosen Cilium version). */
  ciliumMetrics: string[];
  labels?: Record<string, string>;
}
