// deploy/k8s checked by a schema validator, not by eye: every document against the Kubernetes
// API's OpenAPI schema (kubernetes-models: types, required fields, formats, enums), then the rules
// Flick's nodes rely on. Run: scripts/validate-k8s.sh (./flick test runs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const k8sDir = join(here, "..");
const repo = join(k8sDir, "..", "..");

function load(dir) {
  const docs = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    if (file === "kustomization.yaml") continue;
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      assert.equal(doc.errors.length, 0, `${file}: ${doc.errors.join("; ")}`);
      docs.push({ file, object: doc.toJS() });
    }
  }
  return docs;
}

/** The kubernetes-models class of apiVersion/kind, e.g. apps/v1 Deployment. */
async function modelOf({ apiVersion, kind }) {
  const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
  return module[kind];
}

async function schemaErrors(object) {
  const Model = await modelOf(object);
  try {
    new Model(object).validate();
    return null;
  } catch (e) {
    return e.message;
  }
}

const docs = load(k8sDir);
const ofKind = (kind) => docs.map((d) => d.object).filter((o) => o.kind === kind);

test("every manifest is valid against the Kubernetes API schema", async () => {
  assert.ok(docs.length >= 10, `found ${docs.length} documents`);
  for (const { file, object } of docs) {
    assert.equal(await schemaErrors(object), null, `${file}: ${object.kind} ${object.metadata?.name}`);
  }
});

test("the validator rejects a broken Deployment (so the test above can fail)", async () => {
  const deployment = structuredClone(ofKind("Deployment")[0]);
  deployment.spec.replicas = "three";
  delete deployment.spec.template.spec.containers[0].name;
  const errors = await schemaErrors(deployment);
  assert.match(errors ?? "", /replicas must be integer|must have required property 'name'/);
});

test("kustomization lists every manifest", () => {
  const listed = parseAllDocuments(readFileSync(join(k8sDir, "kustomization.yaml"), "utf8"))[0]
    .toJS().resources;
  const files = [...new Set(docs.map((d) => d.file))];
  assert.deepEqual([...listed].sort(), files.sort());
});

test("every role runs in some Deployment, and each Deployment has a PodDisruptionBudget", () => {
  const roles = new Set();
  for (const deployment of ofKind("Deployment")) {
    const env = deployment.spec.template.spec.containers[0].env;
    const value = env.find((e) => e.name === "FLICK_ROLES")?.value;
    assert.ok(value, `${deployment.metadata.name} sets FLICK_ROLES`);
    value.split(",").forEach((r) => roles.add(r.trim()));
    const labels = deployment.spec.template.metadata.labels;
    assert.equal(labels.app, "flick", "cluster bootstrap discovers pods by app=flick");
    const budget = ofKind("PodDisruptionBudget").find((p) =>
      Object.entries(p.spec.selector.matchLabels).every(([k, v]) => labels[k] === v),
    );
    assert.ok(budget, `a PodDisruptionBudget selects ${deployment.metadata.name}`);
  }
  assert.deepEqual([...roles].sort(), ["api", "entities", "feed", "projections", "transcode"]);
});

test("probes hit the management routes on the port discovery finds", () => {
  const management = readFileSync(
    join(repo, "cluster-node/src/main/resources/management.conf"),
    "utf8",
  );
  const portName = management.match(/\bport-name = "([^"]+)"/)[1];
  for (const deployment of ofKind("Deployment")) {
    const container = deployment.spec.template.spec.containers[0];
    assert.ok(
      container.ports.some((p) => p.name === portName && p.containerPort === 8558),
      `${deployment.metadata.name} names its management port ${portName}`,
    );
    assert.equal(container.readinessProbe.httpGet.path, "/ready");
    assert.equal(container.livenessProbe.httpGet.path, "/alive");
    for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
      assert.equal(container[probe].httpGet.port, portName, `${probe} on ${portName}`);
    }
  }
});

test("every FLICK_ variable the manifests set is one the node reads", () => {
  const resources = join(repo, "cluster-node/src/main/resources");
  const read = readdirSync(resources)
    .filter((f) => f.endsWith(".conf"))
    .map((f) => readFileSync(join(resources, f), "utf8"))
    .concat(readFileSync(join(repo, "cluster-node/src/main/java/io/flick/node/NodeConfig.java"), "utf8"))
    .join("\n");
  const names = new Set();
  for (const config of ofKind("ConfigMap")) Object.keys(config.data).forEach((n) => names.add(n));
  for (const secret of ofKind("Secret")) Object.keys(secret.stringData).forEach((n) => names.add(n));
  for (const deployment of ofKind("Deployment")) {
    deployment.spec.template.spec.containers[0].env.forEach((e) => names.add(e.name));
  }
  for (const name of names) {
    assert.ok(
      read.includes("${?" + name + "}") || read.includes(`"${name}"`),
      `the node reads ${name}`,
    );
  }
});
