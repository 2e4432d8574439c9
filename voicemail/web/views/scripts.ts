// The two small inline scripts (run under the CSP nonce; no user data is ever spliced into them:
// they read ids and URLs from escaped data- attributes and the CSRF token from a meta tag).

/** Playing a message marks it heard (through the API, so the store tells the phone's lamp). */
export const PLAYER_SCRIPT = `
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute('content') : '';
  document.querySelectorAll('audio[data-heard-url]').forEach(function (a) {
    a.addEventListener('play', function () {
      if (a.dataset.heard === 'true') return;
      a.dataset.heard = 'true';
      fetch(a.dataset.heardUrl, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
        body: JSON.stringify({ heard: true })
      }).then(function (res) {
        if (!res.ok) { a.dataset.heard = 'false'; return; }
        var card = a.closest('[data-message]');
        if (!card) return;
        var badge = card.querySelector('[data-status]');
        if (badge) { badge.textContent = 'heard'; badge.classList.remove('new'); }
        var form = card.querySelector('form[data-toggle-heard]');
        if (form) { form.querySelector('input[name=heard]').value = '0'; form.querySelector('button').textContent = 'Mark as new'; }
        return res.json().then(function (body) {
          var counts = document.getElementById('counts');
          if (counts && body.counts) counts.textContent = body.counts.newCount + ' new, ' + body.counts.oldCount + ' old';
        });
      }).catch(function () { a.dataset.heard = 'false'; });
    });
  });
})();
`;

/**
 * Records a greeting in the browser: microphone → WebAudio → 16 kHz 16-bit mono PCM → WAV,
 * uploaded with PUT to the greetings API. The ScriptProcessor node is deprecated but needs no
 * extra module file (an AudioWorklet would), and every browser still has it.
 */
export const RECORDER_SCRIPT = `
(function () {
  var RATE = 16000;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute('content') : '';
  document.querySelectorAll('[data-recorder]').forEach(function (box) {
    var startBtn = box.querySelector('[data-start]');
    var stopBtn = box.querySelector('[data-stop]');
    var status = box.querySelector('[data-rec-status]');
    var maxSec = Number(box.dataset.maxSec) || 60;
    var rec = null;
    startBtn.addEventListener('click', function () { if (!rec) start(); });
    stopBtn.addEventListener('click', function () { if (rec) finish(); });

    function start() {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        status.textContent = 'This browser cannot record here (recording needs https or localhost).';
        return;
      }
      startBtn.disabled = true;
      navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } })
        .then(function (stream) {
          var ctx = new (window.AudioContext || window.webkitAudioContext)();
          var src = ctx.createMediaStreamSource(stream);
          var node = ctx.createScriptProcessor(4096, 1, 1);
          var r = { stream: stream, ctx: ctx, src: src, node: node, chunks: [], samples: 0 };
          node.onaudioprocess = function (e) {
            if (rec !== r) return;
            var d = e.inputBuffer.getChannelData(0);
            r.chunks.push(new Float32Array(d));
            r.samples += d.length;
            var sec = r.samples / ctx.sampleRate;
            box.dataset.recordedSec = sec.toFixed(2);
            status.textContent = 'Recording… ' + sec.toFixed(1) + ' s';
            if (sec >= maxSec) finish();
          };
          src.connect(node);
          node.connect(ctx.destination);
          rec = r;
          stopBtn.disabled = false;
          status.textContent = 'Recording…';
        })
        .catch(function (err) { startBtn.disabled = false; status.textContent = 'No microphone: ' + err.message; });
    }

    function finish() {
      var r = rec;
      rec = null;
      stopBtn.disabled = true;
      r.node.disconnect();
      r.src.disconnect();
      r.stream.getTracks().forEach(function (t) { t.stop(); });
      var rate = r.ctx.sampleRate;
      r.ctx.close();
      if (r.samples === 0) { status.textContent = 'Nothing recorded.'; startBtn.disabled = false; return; }
      var wav = encodeWav(downsample(concat(r.chunks, r.samples), rate, RATE), RATE);
      status.textContent = 'Saving…';
      fetch(box.dataset.uploadUrl, {
        method: 'PUT', credentials: 'same-origin',
        headers: { 'Content-Type': 'audio/wav', 'X-CSRF-Token': token },
        body: wav
      }).then(function (res) {
        if (res.ok) { status.textContent = 'Saved.'; location.href = box.dataset.doneUrl; return; }
        return res.json().then(function (b) {
          status.textContent = 'Not saved: ' + ((b.error && b.error.message) || ('HTTP ' + res.status));
          startBtn.disabled = false;
        });
      }).catch(function (err) { status.textContent = 'Not saved: ' + err.message; startBtn.disabled = false; });
    }
  });

  function concat(chunks, n) {
    var out = new Float32Array(n), off = 0;
    chunks.forEach(function (c) { out.set(c, off); off += c.length; });
    return out;
  }

  // Averaging over each output sample's span of input samples: a crude low-pass that keeps
  // speech clear without a filter library.
  function downsample(x, from, to) {
    if (from === to) return x;
    var ratio = from / to, n = Math.floor(x.length / ratio), out = new Float32Array(n);
    for (var i = 0; i < n; i++) {
      var a = Math.floor(i * ratio), b = Math.min(x.length, Math.max(a + 1, Math.floor((i + 1) * ratio))), s = 0;
      for (var j = a; j < b; j++) s += x[j];
      out[i] = s / (b - a);
    }
    return out;
  }

  function encodeWav(x, rate) {
    var buf = new ArrayBuffer(44 + x.length * 2), v = new DataView(buf);
    function str(off, s) { for (var i = 0; i < s.length; i++) v.setUint8(off + i, s.charCodeAt(i)); }
    str(0, 'RIFF'); v.setUint32(4, 36 + x.length * 2, true); str(8, 'WAVE');
    str(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
    v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
    str(36, 'data'); v.setUint32(40, x.length * 2, true);
    for (var i = 0; i < x.length; i++) {
      var s = Math.max(-1, Math.min(1, x[i]));
      v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return buf;
  }
})();
`;
