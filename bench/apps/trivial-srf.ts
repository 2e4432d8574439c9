// The trivial drachtio-srf app of the SIP benchmark: answers INVITEs and hangs up 100 ms later,
// answers REGISTERs with 200. Runs as its own process, like an app beside drachtio-server.
import Srf from 'drachtio-srf';

const [port, secret] = [Number(process.argv[2]), process.argv[3] ?? 'cymru'];
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const srf: any = new (Srf as unknown as new () => unknown)();
srf.connect({ host: '127.0.0.1', port, secret });
srf.on('connect', () => process.stdout.write('ready\n'));
srf.on('error', () => {});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
srf.invite(async (req: any, res: any) => {
  try {
    const dlg = await srf.createUAS(req, res, { localSdp: SDP });
    setTimeout(() => dlg.destroy().catch(() => {}), 100);
  } catch {
    /* caller went away */
  }
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
srf.register((req: any, res: any) => {
  res.send(200, { headers: { Contact: req.get('Contact'), Expires: '3600' } });
});
process.on('SIGTERM', () => {
  srf.disconnect();
  process.exit(0);
});
