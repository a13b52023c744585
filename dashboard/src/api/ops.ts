// Types of the analytics/activity/alerts/settings/webhooks API (branch `ops`),
// written from its contract until it lands in the OpenAPI document.

export type SpendSeries = {
  bucket: "hour" | "day";
  from: string;
  to: string;
  total_usd: string;
  requests: number;
  series: { t: string; spend_usd: string; requests: number }[];
};
export type ModelRow = { model: string; requests: number; input_tokens: number; output_tokens: number; spend_usd: string };
export type KeyRow = {
  key_id: string;
  key_name: string;
  display_prefix: string;
  project_id: string;
  user_id: string;
  requests: number;
  spend_usd: string;
};
export type ProjectRow = {
  project_id: string;
  project_name: string;
  requests: number;
  spend_usd: string;
  budget_usd: string;
  period_spent_usd: string;
};
export type Daily = { days: { date: string; spend_usd: string; requests: number }[] };
export type Activity = { items: { at: string; type: string; project_id: string | null; key_id: string | null; summary: string }[] };
export type Alert = {
  id: string;
  project_id: string | null;
  key_id: string | null;
  kind: string;
  severity: string;
  message: string;
  data: unknown;
  status: "open" | "acknowledged";
  created_at: string;
  acknowledged_at: string | null;
};
export type Settings = {
  anomaly: { max_ips_per_key: number; window_secs: number; max_spend_usd_per_min: string; auto_suspend: boolean };
  rate_limits: { key_rpm: number; project_rpm: number };
  lease_defaults: { lease_size_usd: string; lease_ttl_secs: number };
  policy_defaults: { pii_mode: string; injection_threshold: string; tool_policy: { allow: string[]; deny: string[] } };
};
export type Webhook = { id: string; url: string; events?: string[]; created_at?: string; [k: string]: unknown };
export type Delivery = { id: string; event?: string; status?: string | number; created_at?: string; [k: string]: unknown };
