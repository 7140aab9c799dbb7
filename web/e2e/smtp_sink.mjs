// A real SMTP server for the browser tests (Node's net module on a loopback port): EHLO, MAIL,
// RCPT, DATA (dot-unstuffed), QUIT; records each message with its envelope. `refuse` makes a step
// answer a 5xx. Parley's SMTP client talks to it over a real socket.
import net from 'node:net';

export async function startSmtpSink({ refuse = {} } = {}) {
  const mails = [];
  const waiters = [];
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let mail = { from: '', to: [], data: '' };
    const say = (line) => socket.write(`${line}\r\n`);
    say('220 sink.e2e ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            if (refuse.DATA) {
              say(refuse.DATA);
            } else {
              mails.push(mail);
              waiters.splice(0).forEach((w) => w());
              say('250 2.0.0 queued');
            }
            mail = { from: '', to: [], data: '' };
          } else {
            mail.data += (line.startsWith('.') ? line.slice(1) : line) + '\r\n';
          }
          continue;
        }
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') say('250-sink.e2e\r\n250 8BITMIME');
        else if (verb === 'HELO') say('250 sink.e2e');
        else if (verb === 'MAIL') (mail.from = /<(.*)>/.exec(line)?.[1] ?? ''), say(refuse.MAIL ?? '250 ok');
        else if (verb === 'RCPT') refuse.RCPT ? say(refuse.RCPT) : (mail.to.push(/<(.*)>/.exec(line)?.[1] ?? ''), say('250 ok'));
        else if (verb === 'DATA') (inData = true), say('354 go ahead');
        else if (verb === 'QUIT') say('221 bye'), socket.end();
        else say('502 unknown');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    mails,
    /** The next message after `count` were received. */
    async next(count, timeout = 8000) {
      const deadline = Date.now() + timeout;
      while (mails.length <= count) {
        if (Date.now() > deadline) throw new Error('the SMTP sink received no mail');
        await new Promise((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      return mails[count];
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A header's value of a received message ("" when absent). */
export function header(mail, name) {
  const head = mail.data.split('\r\n\r\n')[0].replace(/\r\n[ \t]/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** The body, quoted-printable decoded, as UTF-8 text with \n line ends. */
export function bodyText(mail) {
  const qp = mail.data.slice(mail.data.indexOf('\r\n\r\n') + 4);
  const bytes = [];
  const raw = qp.replace(/=\r\n/g, '');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '=' && /^[0-9A-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (raw[i] !== '\r') {
      bytes.push(...Buffer.from(raw[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
