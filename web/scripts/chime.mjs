// The Inbox's "new chat request" sound, synthesised (no binary in the repo, nothing downloaded):
// a soft two-note chime followed by silence, so that <audio loop> repeats it every 2 seconds.
// `chimePlugin()` emits it as inbox/sounds/request.wav in the build and serves it in `npm run dev`.
// The bytes depend only on the constants below, so builds stay deterministic.

export const CHIME_PATH = 'sounds/request.wav';

const RATE = 16000; // Hz, mono, 16-bit PCM
const LENGTH_S = 2.0; // one loop: ~0.9 s of chime, then silence
const NOTES = [
  // [start s, frequency Hz, peak gain]
  [0.0, 880.0, 0.32], // A5
  [0.16, 1318.51, 0.28], // E6
];

export function chimeWav() {
  const n = Math.round(RATE * LENGTH_S);
  const samples = new Float64Array(n);
  for (const [start, freq, gain] of NOTES) {
    const s0 = Math.round(start * RATE);
    for (let i = s0; i < n; i++) {
      const t = (i - s0) / RATE;
      if (t > 0.9) break;
      const attack = Math.min(1, t / 0.008); // 8 ms fade-in: no click
      const env = attack * Math.exp(-t * 6.5);
      // The fundamental plus a quiet octave gives a bell-like tone.
      samples[i] += gain * env * (Math.sin(2 * Math.PI * freq * t) + 0.18 * Math.sin(4 * Math.PI * freq * t));
    }
  }
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    data.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // PCM chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Vite plugin: the chime as a build asset (fixed name, next to index.html) and a dev-server route. */
export function chimePlugin() {
  let wav = null;
  const bytes = () => (wav ??= chimeWav());
  return {
    name: 'parley-chime',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: CHIME_PATH, source: bytes() });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url || !req.url.split('?')[0].endsWith('/' + CHIME_PATH)) return next();
        res.setHeader('Content-Type', 'audio/wav');
        res.end(bytes());
      });
    },
  };
}
