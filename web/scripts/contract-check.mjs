#!/usr/bin/env node
// The contract test: every answer the integration suite got from a real server, checked against
// docs/openapi.json. The C++ test clients (tests/integration/test_server.cpp) append each HTTP
// exchange and WebSocket frame to <dir>/<pid>.jsonl when PARLEY_CONTRACT_LOG=<dir>; CTest runs
// this script after the suite (tests/CMakeLists.txt, fixture `contract_log`).
//
// It fails on: a JSON body that does not validate against the documented schema of its
// operation and status; a status an operation does not document; a request under /api/ that
// matches no documented path (unless it was answered 404 with the error body: a test probing an
// unknown route) or no documented method (unless 405 with the error body); a content type other
// than the documented one; a server frame whose type is not in x-websocket.server or that does
// not validate. Client frames are counted and validated, but a test may send a bad one on
// purpose, so an invalid or unknown client frame is reported, not failed.
//
// Usage: node scripts/contract-check.mjs <log dir> [--doc path/to/openapi.json] [--list]
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args.splice(i, 2)[1];
};
const docPath = resolve(option("--doc") ?? join(here, "../../docs/openapi.json"));
const listUnseen = args.includes("--list") && args.splice(args.indexOf("--list"), 1);
const logDir = args[0];
if (!logDir) {
  console.error("usage: contract-check.mjs <log dir> [--doc openapi.json] [--list]");
  process.exit(2);
}

const doc = JSON.parse(readFileSync(docPath, "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema({ $id: "parley-openapi", components: doc.components });

// A schema of the document as a validator: its local refs point into the components above.
function compile(schema) {
  const rebased = JSON.parse(
    JSON.stringify(schema).replaceAll('"$ref":"#/components/', '"$ref":"parley-openapi#/components/'),
  );
  return ajv.compile(rebased);
}

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"];
const mediaType = (t) => (t ?? "").split(";")[0].trim().toLowerCase();

// Documented operations: path template -> segments, with which parameters are integers.
const operations = [];
for (const [path, item] of Object.entries(doc.paths)) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    const params = Object.fromEntries(
      (op.parameters ?? []).filter((p) => p.in === "path").map((p) => [p.name, p.schema ?? {}]),
    );
    const responses = {};
    for (const [status, r] of Object.entries(op.responses)) {
      const resolved = r.$ref ? doc.components.responses[r.$ref.split("/").pop()] : r;
      const content = {};
      for (const [type, media] of Object.entries(resolved.content ?? {})) {
        content[mediaType(type)] = media.schema ? { schema: media.schema } : {};
      }
      responses[status] = { content };
    }
    operations.push({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      segments: path.split("/").slice(1),
      params,
      responses,
    });
  }
}

function segmentMatches(pattern, segment, params) {
  const m = /^\{(.+)\}$/.exec(pattern);
  if (!m) return pattern === segment;
  if (segment === "") return false;
  const schema = params[m[1]] ?? {};
  return schema.type === "integer" ? /^[1-9][0-9]{0,18}$/.test(segment) : true;
}

// The documented paths a request path matches, the most literal first.
function pathMatches(path) {
  const segments = path.split("/").slice(1);
  const found = operations.filter(
    (op) =>
      op.segments.length === segments.length &&
      op.segments.every((p, i) => segmentMatches(p, segments[i], op.params)),
  );
  const literal = (op) => op.segments.filter((s) => !s.startsWith("{")).length;
  return found.sort((a, b) => literal(b) - literal(a));
}

const validators = new Map();
function validatorFor(key, schema) {
  if (!validators.has(key)) validators.set(key, compile(schema));
  return validators.get(key);
}

const ws = doc["x-websocket"] ?? { client: {}, server: {} };
const frameSchemaName = (ref) => ref.$ref.split("/").pop();

const failures = new Map(); // message -> {count, tests}
function fail(message, test) {
  const f = failures.get(message) ?? { count: 0, tests: new Set() };
  f.count += 1;
  if (test) f.tests.add(test);
  failures.set(message, f);
}
const describe = (errors) =>
  (errors ?? [])
    .slice(0, 4)
    .map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}${e.params?.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : ""}`)
    .join("; ");

const seen = new Map(); // operation key -> Set of statuses
const validated = new Set(); // operation keys with a JSON body validated
const statusSeen = new Set(); // "KEY status"
const counts = { http: 0, outside: 0, unknownRoute: 0, wrongMethod: 0, preflight: 0, nonJson: 0 };
const serverFrames = new Map();
const clientFrames = new Map();
const clientProbes = { invalid: 0, unknown: 0 };

// `serve --metrics-listen` opens a listener that serves /metrics and answers every other path,
// /api/ ones too, with this 404 (docs/api.md): not an answer of the API.
function fromMetricsListener(e) {
  if (e.status !== 404) return false;
  try {
    return JSON.parse(e.body).error.message === "this listener serves /metrics only";
  } catch {
    return false;
  }
}

function checkHttp(e) {
  counts.http += 1;
  const [path] = e.target.split("?");
  if (!path.startsWith("/api/") || fromMetricsListener(e)) {
    counts.outside += 1; // /healthz, /readyz, /metrics, static files: not part of this document
    return;
  }
  const isErrorBody = () => {
    try {
      return validatorFor("Error", doc.components.schemas.Error)(JSON.parse(e.body));
    } catch {
      return false;
    }
  };
  const matches = pathMatches(path);
  if (matches.length === 0) {
    if (e.status === 404 && isErrorBody()) counts.unknownRoute += 1;
    else fail(`${e.method} ${path}: no documented path (answered ${e.status})`, e.test);
    return;
  }
  const op = matches.find((m) => m.method === e.method);
  if (!op) {
    if (e.method === "OPTIONS" && path.startsWith("/api/v1/visitor/") && e.status === 204) {
      counts.preflight += 1; // CORS preflight of the visitor API (docs/api.md, visitor endpoints)
    } else if (e.status === 405 && isErrorBody()) {
      counts.wrongMethod += 1;
    } else {
      fail(`${e.method} ${matches[0].path}: method not documented (answered ${e.status})`, e.test);
    }
    return;
  }
  if (!seen.has(op.key)) seen.set(op.key, new Set());
  seen.get(op.key).add(e.status);
  const response = op.responses[String(e.status)];
  if (!response) {
    fail(`${op.key}: status ${e.status} is not documented`, e.test);
    return;
  }
  statusSeen.add(`${op.key} ${e.status}`);
  const documented = Object.keys(response.content);
  const actual = mediaType(e.content_type);
  if (documented.length === 0) {
    if ((e.body ?? "") !== "" || (e.body_size ?? 0) > 0) fail(`${op.key} ${e.status}: a body where none is documented`, e.test);
    return;
  }
  if (!documented.includes(actual)) {
    fail(`${op.key} ${e.status}: content type ${actual || "(none)"}, documented ${documented.join(", ")}`, e.test);
    return;
  }
  if (actual !== "application/json") {
    counts.nonJson += 1; // an .ics, a transcript: the type is all there is to check
    return;
  }
  const { schema } = response.content[actual];
  if (!schema) return;
  let body;
  try {
    body = JSON.parse(e.body);
  } catch {
    fail(`${op.key} ${e.status}: the body is not JSON`, e.test);
    return;
  }
  const validate = validatorFor(`${op.key} ${e.status}`, schema);
  if (validate(body)) validated.add(op.key);
  else fail(`${op.key} ${e.status}: ${describe(validate.errors)}`, e.test);
}

function checkFrame(e) {
  let frame;
  try {
    frame = JSON.parse(e.text);
  } catch {
    frame = undefined;
  }
  const type = frame && typeof frame === "object" && typeof frame.type === "string" ? frame.type : undefined;
  if (e.direction === "received") {
    const ref = type && ws.server[type];
    if (!ref) {
      fail(`WebSocket server frame ${type ?? e.text.slice(0, 40)}: type not documented in x-websocket.server`, e.test);
      return;
    }
    serverFrames.set(type, (serverFrames.get(type) ?? 0) + 1);
    const name = frameSchemaName(ref);
    const validate = validatorFor(name, doc.components.schemas[name]);
    if (!validate(frame)) fail(`WebSocket ${type} frame (${name}): ${describe(validate.errors)}`, e.test);
    return;
  }
  const ref = type && ws.client[type];
  if (!ref) {
    clientProbes.unknown += 1; // a test sending junk on purpose (bad JSON, unknown types)
    return;
  }
  const name = frameSchemaName(ref);
  const validate = validatorFor(name, doc.components.schemas[name]);
  if (validate(frame)) clientFrames.set(type, (clientFrames.get(type) ?? 0) + 1);
  else clientProbes.invalid += 1; // e.g. a subscribe without conversation_id, to see the error
}

let files = [];
try {
  files = readdirSync(logDir).filter((f) => f.endsWith(".jsonl"));
} catch (err) {
  console.error(`contract: cannot read ${logDir}: ${err.message}`);
  process.exit(1);
}
let entries = 0;
for (const file of files) {
  for (const line of readFileSync(join(logDir, file), "utf8").split("\n")) {
    if (!line.trim()) continue;
    let e;
    try {
      e = JSON.parse(line);
    } catch {
      fail(`${file}: a line that is not JSON (a torn write?)`);
      continue;
    }
    entries += 1;
    if (e.kind === "http") checkHttp(e);
    else if (e.kind === "ws") checkFrame(e);
  }
}

if (entries === 0) {
  console.error(`contract: nothing recorded in ${logDir} (was PARLEY_CONTRACT_LOG set for the integration tests?)`);
  process.exit(1);
}

const serverTypes = Object.keys(ws.server);
const clientTypes = Object.keys(ws.client);
const totalStatuses = operations.reduce((n, op) => n + Object.keys(op.responses).length, 0);
const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
console.log(
  `contract: operations ${seen.size}/${operations.length} seen, ${validated.size} with a JSON body validated; ` +
    `statuses ${statusSeen.size}/${totalStatuses} (operation+status) seen; ` +
    `server frames ${serverFrames.size}/${serverTypes.length} types seen (${sum(serverFrames)} frames); ` +
    `client frames ${clientFrames.size}/${clientTypes.length} types seen (${sum(clientFrames)} frames)`,
);
console.log(
  `contract: ${counts.http} HTTP exchanges from ${files.length} test processes: ${counts.outside} outside /api/ (or on the metrics listener), ` +
    `${counts.unknownRoute} unknown-route 404s, ${counts.wrongMethod} wrong-method 405s, ${counts.preflight} CORS preflights, ` +
    `${counts.nonJson} non-JSON bodies (type checked); client frames sent on purpose wrong: ` +
    `${clientProbes.unknown} unknown/not JSON, ${clientProbes.invalid} invalid`,
);
const unseenOps = operations.filter((op) => !seen.has(op.key)).map((op) => op.key);
const unseenFrames = serverTypes.filter((t) => !serverFrames.has(t));
if (listUnseen || unseenOps.length <= 12) {
  if (unseenOps.length) console.log(`contract: operations no test called: ${unseenOps.join(", ")}`);
} else {
  console.log(`contract: ${unseenOps.length} operations no test called (--list names them)`);
}
if (unseenFrames.length) console.log(`contract: server frame types no test received: ${unseenFrames.join(", ")}`);

if (failures.size > 0) {
  console.error(`contract: FAILED, ${failures.size} distinct problem(s):`);
  for (const [message, { count, tests }] of failures) {
    const where = [...tests].slice(0, 3).join(", ");
    console.error(`  ${message}  [${count}x${where ? `; ${where}` : ""}]`);
  }
  process.exit(1);
}
console.log("contract: every recorded answer and frame matches docs/openapi.json");
