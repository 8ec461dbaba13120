// Validates every object in deploy/kubernetes/*.yaml against the Kubernetes object schemas (kubernetes-models: types,
// required fields, enums, formats) and rejects fields the schema does not know, as `kubectl --validate=strict` would.
// Usage: node validate-manifests.mjs [dir]   exit 0 when every object is valid.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, "..", "kubernetes"));
const require = createRequire(import.meta.url);
const modelsRoot = dirname(require.resolve("kubernetes-models/package.json"));
const nodeModules = dirname(modelsRoot);

/** Module path of a kind: core v1 lives at v1/Kind, the rest at group/version/Kind. */
function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === "" ? join(modelsRoot, version, kind) : join(modelsRoot, group, version, kind);
}

/** Fields of the interface declared in a .d.ts file, each with the file of its type (when it is an object type). */
const interfaces = new Map();
function fieldsOf(dts) {
  if (interfaces.has(dts)) return interfaces.get(dts);
  const text = readFileSync(dts, "utf8");
  const imports = new Map();
  for (const m of text.matchAll(/import \{ (\w+) \} from "([^"]+)";/g)) imports.set(m[1], m[2]);
  const body = text.match(/export interface I\w+(?: extends [\w, ]+)? \{([\s\S]*?)\n\}/);
  const fields = new Map();
  if (body) {
    // A field is `"name"?: Type;` on one line, or a map type `"name"?: {` ... `};` over several.
    for (const m of body[1].matchAll(/^ {4}"([^"]+)"\??: ([^\n]+?;|\{[\s\S]*?\n {4}\};)$/gm)) {
      const type = m[2].replace(/\s+/g, " ");
      const named = type.match(/\b(I[A-Z]\w+)\b/);
      let file = null;
      if (named && imports.has(named[1])) {
        const from = imports.get(named[1]);
        const base = from.startsWith(".") ? join(dirname(dts), from) : join(nodeModules, from);
        const candidate = base.replace(/\.js$/, "") + ".d.ts";
        if (existsSync(candidate)) file = candidate;
      }
      fields.set(m[1], { file, map: /^\{ \[key: string\]/.test(type), array: /^Array</.test(type) });
    }
  }
  const result = body ? fields : null;
  interfaces.set(dts, result);
  return result;
}

/** Paths of fields in `value` that the type declared in `dts` does not have. */
function unknownFields(value, dts, path, found) {
  const fields = dts && fieldsOf(dts);
  if (!fields || value === null || typeof value !== "object" || Array.isArray(value)) return found;
  for (const [key, child] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) { found.push(`${path}.${key}`); continue; }
    if (!field.file) continue;
    const items = field.array ? (Array.isArray(child) ? child : []) : field.map ? Object.values(child ?? {}) : [child];
    items.forEach((item, i) => unknownFields(item, field.file, field.array ? `${path}.${key}[${i}]` : `${path}.${key}`, found));
  }
  return found;
}

let objects = 0, failures = 0;
const files = readdirSync(dir).filter(f => f.endsWith(".yaml") && f !== "kustomization.yaml").sort();
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length) { console.log(`FAIL ${file}: ${doc.errors[0].message}`); failures++; continue; }
    const data = doc.toJS();
    if (!data) continue;
    objects++;
    const name = `${file}: ${data.kind}/${data.metadata?.name}`;
    const path = modelPath(data.apiVersion ?? "", data.kind ?? "");
    if (!existsSync(path + ".js")) { console.log(`FAIL ${name}: no schema for ${data.apiVersion} ${data.kind}`); failures++; continue; }
    const module = await import(path + ".js");
    const Model = module[data.kind];
    const problems = [];
    try { new Model(data).validate(); } catch (e) { problems.push(e.message); }
    const unknown = unknownFields(data, path + ".d.ts", data.kind, []);
    if (unknown.length) problems.push(`unknown field(s): ${unknown.join(", ")}`);
    if (problems.length) { console.log(`FAIL ${name}: ${problems.join("; ")}`); failures++; }
    else console.log(`ok   ${name}`);
  }
}
console.log(`${objects - failures} object(s) valid, ${failures} invalid`);
process.exit(failures === 0 && objects > 0 ? 0 : 1);
