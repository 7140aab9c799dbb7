// The bench's comparison point: what a team would write instead of Parley. A minimal
// WebSocket relay on Node.js + `ws` that speaks the frame subset the load generator's
// message phase uses, pairs the sockets of one conversation, and persists nothing.
//
//   node server.js [--port 0] [--host 127.0.0.1]
// prints "Baseline listening on http://127.0.0.1:<port>" once it accepts connections.
//
// Frames (same shapes as Parley's /ws, docs/api.md):
//   {"type":"auth","visitor_token":T}        -> {"type":"hello","role":R,"id":N}
//       R is "agent" when T starts with "agent:", else "visitor"; N is the number after ':'.
//   {"type":"subscribe","conversation_id":C} -> joins conversation C (no replay: nothing stored)
//   {"type":"message.send","conversation_id":C,"client_id":X,"body":B}
//       -> {"type":"message.ack","client_id":X,"event":E,"duplicate":false} to the sender, and
//          {"type":"event","conversation_id":C,"event":E} to every socket subscribed to C
//          except the sender's own socket, whose ack already carries the event (as Parley).
//   {"type":"ping"} -> {"type":"pong"}
'use strict';

const http = require('node:http');
const { WebSocketServer } = require('ws');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = arg('--host', '127.0.0.1');
const port = Number(arg('--port', '0'));

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":{"code":"not_found","message":"baseline serves /ws only"}}');
});
const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });

const conversations = new Map(); // id -> { sockets: Set<WebSocket>, seq: number }
let nextEventId = 1;

function send(ws, obj) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(obj));
}

function error(ws, code, message, ref) {
  send(ws, { type: 'error', code, message, ref: ref || '' });
}

wss.on('connection', (ws) => {
  ws.role = null;
  ws.actorId = 0;
  ws.joined = new Set();

  ws.on('message', (data, isBinary) => {
    if (isBinary) return error(ws, 'bad_request', 'send JSON text frames');
    let f;
    try {
      f = JSON.parse(data.toString('utf8'));
    } catch {
      return error(ws, 'bad_request', 'malformed JSON');
    }
    if (f === null || typeof f !== 'object' || typeof f.type !== 'string') {
      return error(ws, 'bad_request', 'type is required');
    }
    if (f.type === 'ping') return send(ws, { type: 'pong' });
    if (!ws.role) {
      if (f.type !== 'auth' || typeof f.visitor_token !== 'string') {
        error(ws, 'unauthorized', 'authenticate first', f.type);
        return ws.close();
      }
      const [kind, n] = f.visitor_token.split(':');
      ws.role = kind === 'agent' ? 'agent' : 'visitor';
      ws.actorId = Number(n) || 0;
      return send(ws, { type: 'hello', role: ws.role, id: ws.actorId });
    }
    const cid = f.conversation_id;
    if (!Number.isInteger(cid)) return error(ws, 'bad_request', 'conversation_id is required', f.type);
    if (f.type === 'subscribe') {
      let c = conversations.get(cid);
      if (!c) conversations.set(cid, (c = { sockets: new Set(), seq: 0 }));
      c.sockets.add(ws);
      ws.joined.add(cid);
      return;
    }
    if (f.type === 'message.send') {
      const c = conversations.get(cid);
      if (!c || !c.sockets.has(ws)) return error(ws, 'not_found', 'no such conversation', f.client_id);
      if (typeof f.client_id !== 'string' || typeof f.body !== 'string' || f.body.length === 0) {
        return error(ws, 'bad_request', 'client_id and body are required', f.client_id);
      }
      const event = {
        id: nextEventId++,
        conversation_id: cid,
        seq: ++c.seq,
        sender: ws.role,
        agent_id: ws.role === 'agent' ? ws.actorId : null,
        kind: 'text',
        body: f.body,
        client_id: f.client_id,
        created_at: Date.now(),
      };
      send(ws, { type: 'message.ack', client_id: f.client_id, event, duplicate: false });
      const frame = JSON.stringify({ type: 'event', conversation_id: cid, event });
      for (const peer of c.sockets) {
        if (peer !== ws && peer.readyState === peer.OPEN) peer.send(frame);
      }
      return;
    }
    return error(ws, 'bad_request', 'unknown frame type: ' + f.type, f.type);
  });

  ws.on('close', () => {
    for (const cid of ws.joined) {
      const c = conversations.get(cid);
      if (!c) continue;
      c.sockets.delete(ws);
      if (c.sockets.size === 0) conversations.delete(cid);
    }
  });
  ws.on('error', () => {});
});

server.listen(port, host, () => {
  const addr = server.address();
  console.log(`Baseline listening on http://${addr.address}:${addr.port}`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const ws of wss.clients) ws.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
