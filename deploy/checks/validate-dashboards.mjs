// Validates deploy/grafana/*.json (JSON, the panel structure Grafana needs) and checks that every metric the dashboards
// and the Prometheus rules read is one the registry exposes (deploy/metric-families.txt, itself checked against a real
// /metrics by the test suite). Usage: node validate-dashboards.mjs   exit 0 when all is well.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const deploy = join(import.meta.dirname, "..");
const families = new Set(readFileSync(join(deploy, "metric-families.txt"), "utf8").split("\n")
  .map(l => l.trim()).filter(l => l && !l.startsWith("#")));
families.add("up"); // written by Prometheus for every scrape target

const rules = parse(readFileSync(join(deploy, "prometheus", "agentregistry.rules.yaml"), "utf8"));
const recorded = new Set(rules.groups.flatMap(g => g.rules).filter(r => r.record).map(r => r.record));

const keywords = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);

/** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
export function metricsIn(expr) {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')          // strings
    .replace(/\{[^}]*\}/g, "")                    // label matchers
    .replace(/\[[^\]]*\]/g, "")                   // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ""); // label lists
  return [...bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)]
    .filter(m => !/^\s*\(/.test(bare.slice(m.index + m[0].length)))   // not a function call
    .map(m => m[0]).filter(n => !keywords.has(n.toLowerCase()));
}

function known(name) {
  if (recorded.has(name) || families.has(name)) return true;
  const base = name.replace(/_(bucket|count|sum)$/, "");
  return families.has(base);
}

let failures = 0, checked = 0;
function check(where, expr) {
  checked++;
  const unknown = metricsIn(expr).filter(n => !known(n));
  if (unknown.length) { failures++; console.log(`FAIL ${where}: reads ${unknown.join(", ")}, which /metrics does not expose`); }
}

for (const group of rules.groups)
  for (const rule of group.rules) check(`rules ${rule.record ?? rule.alert}`, rule.expr);

for (const file of readdirSync(join(deploy, "grafana")).filter(f => f.endsWith(".json")).sort()) {
  let dashboard;
  try { dashboard = JSON.parse(readFileSync(join(deploy, "grafana", file), "utf8")); }
  catch (e) { failures++; console.log(`FAIL ${file}: not JSON (${e.message})`); continue; }
  const problems = [];
  if (!dashboard.title || !dashboard.uid) problems.push("no title or uid");
  const panels = (dashboard.panels ?? []).flatMap(p => [p, ...(p.panels ?? [])]);
  const ids = panels.map(p => p.id);
  if (new Set(ids).size !== ids.length) problems.push("panel ids repeat");
  for (const panel of panels.filter(p => p.type !== "row")) {
    if (!panel.gridPos || !panel.title) problems.push(`panel ${panel.id} has no title or position`);
    if (!panel.targets?.length) problems.push(`panel "${panel.title}" has no query`);
    for (const t of panel.targets ?? []) {
      if (!t.expr) { problems.push(`panel "${panel.title}" target ${t.refId} has no expr`); continue; }
      check(`${file} "${panel.title}"`, t.expr);
    }
  }
  if (problems.length) { failures++; console.log(`FAIL ${file}: ${problems.join("; ")}`); }
  else console.log(`ok   ${file}: ${panels.length} panels`);
}
console.log(`${checked - failures} query(ies) and dashboard(s) valid, ${failures} invalid`);
process.exit(failures === 0 ? 0 : 1);
