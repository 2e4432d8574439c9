// Pass-through relay done where the packet is read, for bridged legs whose codecs match: the header is
// rewritten (payload type, SSRC, sequence, timestamp) and the packet leaves through the other leg's
// socket without ever reaching JavaScript. JavaScript stays the owner of every decision: it arms a
// route only while nothing but this arithmetic has to happen to a packet, and any packet the route is
// not sure about (first of a stream, new SSRC, sequence jump, RFC 4733 event, other payload type,
// a source other than the latched one, RTCP on a muxed port) is left for JavaScript, which handles
// it with the full logic and re-arms the route with the new offsets.
//
// The route's state is one record of doubles in a Float64Array shared with JavaScript (layout below,
// mirrored in core/media/rtp/relay-record.ts): both sides run on the event-loop thread, so there is
// nothing to lock, and JavaScript reads the counters and stream state straight from the record at a
// low rate (housekeeping, stats) instead of being called per packet.
#pragma once

#include <cstdint>
#include <cstring>

namespace media {

// Record layout (indexes into the route's doubles). Keep in step with rtp/relay-record.ts.
enum RelayWord : int {
  kArmed = 0,       // JS: 1 while the route may relay
  kOutSock = 1,     // JS: socket id the packets leave through
  kRtcpMux = 2,     // JS: 1 when RTCP shares the RTP port (such packets go to JS)
  kClockOffset = 3, // JS: add to uv_hrtime() in ms to get the leg clock's time
  // Stream rewriter of the outgoing leg (rtp/stream-rewriter.ts), normal (no source switch) case.
  kSrcSsrc = 4,
  kSrcLastSeq = 5,
  kSeqOffset = 6,
  kTsOffset = 7,
  kOutLastSeq = 8,
  kOutLastTs = 9,
  kOutSsrc = 10,
  kOutLastAt = 11,
  // Sender counters of the outgoing leg: deltas JS folds in and zeroes, plus last values.
  kTxPackets = 12,
  kTxOctets = 13,
  kTxLastTs = 14,
  kTxLastMs = 15,
  kTxErrors = 16,
  // Receiver of the incoming leg: packets relayed here since JS last looked, and when the last came.
  kRxPackets = 17,
  kRxLastMs = 18,
  // Receive statistics of the incoming leg (rtp/receive-stats.ts, RFC 3550 A.1/A.8).
  kStSsrc = 19,
  kStPackets = 20,
  kStOctets = 21,
  kStMaxSeq = 22,
  kStCycles = 23,
  kStLastTransit = 24,
  kStJitterQ4 = 25,
  kStClockRate = 26,
  kRelayWords = 28,
};

// The payload-type map is a separate byte table: 128 bytes per route, out PT or kToJs.
constexpr int kPtMapBytes = 128;
constexpr uint8_t kToJs = 0xff;

// Same limits as the JS rewriter and receive statistics: beyond them JS decides (restart, reset).
constexpr int kSeqRestart = 3000;
constexpr int kMaxDropout = 3000;
constexpr int kMaxMisorder = 100;

inline int SeqDelta(uint32_t a, uint32_t b) { return static_cast<int>((((b - a) & 0xffff) + 0x8000) & 0xffff) - 0x8000; }
inline int32_t TsDelta(uint32_t a, uint32_t b) { return static_cast<int32_t>(b - a); }

inline uint32_t Be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }
inline void PutBe32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

// Receive statistics (ReceiveStats.update without a reset, which RelayPacket has ruled out).
inline void RelayStats(double* r, uint32_t seq, uint32_t ts, size_t payload, double nowMs) {
  r[kStPackets] += 1;
  r[kStOctets] += static_cast<double>(payload);
  uint32_t maxSeq = static_cast<uint32_t>(r[kStMaxSeq]);
  int delta = SeqDelta(maxSeq, seq);
  if (delta > 0) {
    if (seq < maxSeq) r[kStCycles] += 0x10000;
    r[kStMaxSeq] = seq;
  }
  double rate = r[kStClockRate];
  double transit = (nowMs * rate) / 1000 - static_cast<double>(ts);
  if (r[kStPackets] > 1) {
    double d = transit - r[kStLastTransit];
    if (d < 0) d = -d;
    // Timestamp jumps (new talkspurt, wrap) are not jitter.
    if (d < rate) r[kStJitterQ4] += d - (r[kStJitterQ4] + 8) / 16;
  }
  r[kStLastTransit] = transit;
}

// Account and rewrite the packet in place when the route can relay it; false leaves it untouched for
// JavaScript. On true the caller transmits the `len` bytes and then calls RelaySent.
inline bool RelayPacket(double* r, const uint8_t* ptMap, uint8_t* pkt, size_t len, double nowMs) {
  // Version 2 with no padding, extension or CSRCs: the header is exactly 12 bytes and the rest is payload.
  if (len < 12 || pkt[0] != 0x80) return false;
  uint8_t pt = pkt[1] & 0x7f;
  if (r[kRtcpMux] != 0 && pt >= 64 && pt <= 95) return false;
  uint8_t outPt = ptMap[pt];
  if (outPt == kToJs) return false;
  uint32_t seq = (uint32_t(pkt[2]) << 8) | pkt[3];
  uint32_t ts = Be32(pkt + 4);
  uint32_t ssrc = Be32(pkt + 8);
  if (static_cast<double>(ssrc) != r[kSrcSsrc] || static_cast<double>(ssrc) != r[kStSsrc]) return false;
  int srcJump = SeqDelta(static_cast<uint32_t>(r[kSrcLastSeq]), seq);
  if (srcJump > kSeqRestart || srcJump < -kSeqRestart) return false;
  int delta = SeqDelta(static_cast<uint32_t>(r[kStMaxSeq]), seq);
  if (delta <= -kMaxMisorder || delta >= kMaxDropout) return false;

  RelayStats(r, seq, ts, len - 12, nowMs);
  r[kRxPackets] += 1;
  r[kRxLastMs] = nowMs;

  // Output stream (StreamRewriter.rewrite when the source has not switched).
  uint32_t outSeq = (seq + static_cast<uint32_t>(r[kSeqOffset])) & 0xffff;
  uint32_t outTs = ts + static_cast<uint32_t>(r[kTsOffset]);
  if (SeqDelta(static_cast<uint32_t>(r[kOutLastSeq]), outSeq) > 0) {
    r[kOutLastSeq] = outSeq;
    r[kSrcLastSeq] = seq;
  }
  if (TsDelta(static_cast<uint32_t>(r[kOutLastTs]), outTs) > 0) r[kOutLastTs] = outTs;
  r[kOutLastAt] = nowMs;
  pkt[1] = static_cast<uint8_t>((pkt[1] & 0x80) | (outPt & 0x7f));
  pkt[2] = static_cast<uint8_t>(outSeq >> 8);
  pkt[3] = static_cast<uint8_t>(outSeq);
  PutBe32(pkt + 4, outTs);
  PutBe32(pkt + 8, static_cast<uint32_t>(r[kOutSsrc]));
  return true;
}

// The outgoing leg's sender counters, as LegSender.transmit keeps them (only a packet that went out counts).
inline void RelaySent(double* r, const uint8_t* pkt, size_t len, double nowMs, bool sent) {
  if (!sent) {
    r[kTxErrors] += 1;
    return;
  }
  r[kTxPackets] += 1;
  r[kTxOctets] += static_cast<double>(len - 12);
  r[kTxLastTs] = Be32(pkt + 4);
  r[kTxLastMs] = nowMs;
}

}  // namespace media
