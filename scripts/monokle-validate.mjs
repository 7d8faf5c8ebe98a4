// Kubeshop Monokle validation (@monokle/validation) of Kubernetes manifests, offline: the Pod
// Security Standards plugin (baseline and restricted rules, every one turned on), no plugin that
// fetches schemas or policies. Prints one JSON line per finding:
//   {"rule":"PSS…","level":"error","message":"…","kind":"Deployment","name":"api","file":"…"}
// and a last line {"resources":N,"findings":M}. Exit 0 whatever was found; 2 on a usage or
// parse error. scripts/install-test-tools copies it next to its node_modules.
//   node monokle-validate.mjs FILE...
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { createDefaultMonokleValidator } from '@monokle/validation';

const files = process.argv.slice(2);
if (files[0] === '--version') {
  const pkg = new URL('./node_modules/@monokle/validation/package.json', import.meta.url);
  console.log(JSON.parse(readFileSync(pkg, 'utf8')).version);
  process.exit(0);
}
if (files.length === 0) {
  console.error('usage: monokle-validate FILE...');
  process.exit(2);
}
const resources = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      console.error(`${file}: ${doc.errors[0].message}`);
      process.exit(2);
    }
    const content = doc.toJS();
    if (!content || typeof content !== 'object' || !content.kind) continue;
    resources.push({
      id: `${file}#${resources.length}`,
      fileId: file,
      filePath: file,
      fileOffset: doc.range[0],
      name: content.metadata?.name ?? '',
      apiVersion: content.apiVersion,
      kind: content.kind,
      namespace: content.metadata?.namespace,
      content,
      text: text.slice(doc.range[0], doc.range[2]),
    });
  }
}
const validator = createDefaultMonokleValidator();
const plugins = {
  'pod-security-standards': true,
  'yaml-syntax': false,
  'kubernetes-schema': false,
  'resource-links': false,
  'open-policy-agent': false,
  metadata: false,
  practices: false,
};
await validator.preload({ plugins });
// Every rule of the plugin, the restricted profile's included, as an error.
const rules = {};
for (const [plugin, list] of Object.entries(validator.rules)) {
  for (const rule of list) rules[`${plugin}/${rule.name}`] = 'err';
}
if (Object.keys(rules).length < 20) {
  console.error(`only ${Object.keys(rules).length} Pod Security rules found`);
  process.exit(2);
}
await validator.preload({ plugins, rules });
const response = await validator.validate({ resources });
let findings = 0;
for (const run of response.runs) {
  for (const r of run.results) {
    const id = r.locations?.[1]?.physicalLocation?.artifactLocation?.uri ?? '';
    const res = resources.find((x) => x.id === id) ?? {};
    const path = (r.locations?.[1]?.logicalLocations ?? []).find((l) => l.kind === 'element');
    findings += 1;
    console.log(JSON.stringify({
      rule: r.ruleId, level: r.level, message: r.message?.text,
      kind: res.kind, name: res.name, path: path?.fullyQualifiedName, file: res.filePath,
    }));
  }
}
console.log(JSON.stringify({ resources: resources.length, findings }));
