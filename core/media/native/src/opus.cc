// Opus over Debian's libopus. We wrap it ourselves (rather than use an npm binding) to get the encoder CTLs,
// the decoder's own PLC (opus_decode with no data) and in-band FEC decoding, none of which the npm wrappers
// expose, and to avoid prebuilt downloads.
#include <napi.h>
#include <opus/opus.h>

#include <string>

#include "args.h"
#include "wraps.h"

namespace media {
namespace {

// 120 ms at 48 kHz is the longest frame Opus can carry.
constexpr int kMaxFrameSamples = 5760;
constexpr int kMaxPacketBytes = 1275 * 3 + 7;  // worst case for a 60 ms multi-frame packet

bool ValidRate(int32_t rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

int ApplicationArg(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsUndefined()) return OPUS_APPLICATION_VOIP;
  if (!info[i].IsString()) throw Napi::TypeError::New(info.Env(), "OpusEncoder: application must be a string");
  std::string app = info[i].As<Napi::String>().Utf8Value();
  if (app == "voip") return OPUS_APPLICATION_VOIP;
  if (app == "audio") return OPUS_APPLICATION_AUDIO;
  if (app == "lowdelay") return OPUS_APPLICATION_RESTRICTED_LOWDELAY;
  throw Napi::RangeError::New(info.Env(), "OpusEncoder: application must be 'voip', 'audio' or 'lowdelay'");
}

void Check(const Napi::Env& env, int rc, const char* what) {
  if (rc < 0) throw Napi::Error::New(env, std::string(what) + ": " + opus_strerror(rc));
}

class OpusEncoderWrap : public Napi::ObjectWrap<OpusEncoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "OpusEncoder",
                       {
                           InstanceMethod<&OpusEncoderWrap::Encode>("encode"),
                           InstanceMethod<&OpusEncoderWrap::SetBitrate>("setBitrate"),
                           InstanceMethod<&OpusEncoderWrap::SetComplexity>("setComplexity"),
                           InstanceMethod<&OpusEncoderWrap::SetInbandFec>("setInbandFec"),
                           InstanceMethod<&OpusEncoderWrap::SetPacketLossPercent>("setPacketLossPercent"),
                           InstanceMethod<&OpusEncoderWrap::SetDtx>("setDtx"),
                           InstanceMethod<&OpusEncoderWrap::Reset>("reset"),
                           InstanceMethod<&OpusEncoderWrap::Close>("close"),
                       });
  }

  explicit OpusEncoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<OpusEncoderWrap>(info) {
    const char* m = "OpusEncoder";
    sampleRate_ = IntArg(info, 0, m, "sampleRate", 8000, 48000);
    if (!ValidRate(sampleRate_)) throw Napi::RangeError::New(info.Env(), "OpusEncoder: unsupported sample rate");
    channels_ = IntArg(info, 1, m, "channels", 1, 2);
    int err = OPUS_OK;
    enc_ = opus_encoder_create(sampleRate_, channels_, ApplicationArg(info, 2), &err);
    if (err != OPUS_OK || enc_ == nullptr) Check(info.Env(), err == OPUS_OK ? OPUS_ALLOC_FAIL : err, m);
  }

  ~OpusEncoderWrap() override { Free(); }

 private:
  void Free() {
    if (enc_ != nullptr) opus_encoder_destroy(enc_);
    enc_ = nullptr;
  }

  // encode(pcm: Int16Array, out: Uint8Array): number of bytes written. pcm holds one frame (interleaved).
  Napi::Value Encode(const Napi::CallbackInfo& info) {
    OpusEncoder* enc = Require(info.Env(), enc_, "OpusEncoder");
    Span<int16_t> pcm = Int16Arg(info, 0, "OpusEncoder.encode", "pcm");
    Span<uint8_t> out = BytesArg(info, 1, "OpusEncoder.encode", "out");
    if (pcm.length % channels_ != 0) throw Napi::RangeError::New(info.Env(), "OpusEncoder.encode: odd sample count");
    int frame = static_cast<int>(pcm.length / channels_);
    opus_int32 cap = static_cast<opus_int32>(out.length < kMaxPacketBytes ? out.length : kMaxPacketBytes);
    opus_int32 n = opus_encode(enc, pcm.data, frame, out.data, cap);
    Check(info.Env(), n, "OpusEncoder.encode");
    return Napi::Number::New(info.Env(), n);
  }

  void Ctl(const Napi::Env& env, int rc) { Check(env, rc, "OpusEncoder ctl"); }

  // setBitrate(bps): -1 selects OPUS_AUTO.
  void SetBitrate(const Napi::CallbackInfo& info) {
    OpusEncoder* enc = Require(info.Env(), enc_, "OpusEncoder");
    int32_t bps = IntArg(info, 0, "OpusEncoder.setBitrate", "bps", -1, 512000);
    Ctl(info.Env(), opus_encoder_ctl(enc, OPUS_SET_BITRATE(bps == -1 ? OPUS_AUTO : bps)));
  }

  void SetComplexity(const Napi::CallbackInfo& info) {
    OpusEncoder* enc = Require(info.Env(), enc_, "OpusEncoder");
    int32_t c = IntArg(info, 0, "OpusEncoder.setComplexity", "complexity", 0, 10);
    Ctl(info.Env(), opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(c)));
  }

  void SetInbandFec(const Napi::CallbackInfo& info) {
    OpusEncoder* enc = Require(info.Env(), enc_, "OpusEncoder");
    bool on = BoolArg(info, 0, "OpusEncoder.setInbandFec", "enabled");
    Ctl(info.Env(), opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(on ? 1 : 0)));
  }

  // libopus only spends bits on FEC when it expects loss, so FEC needs a non-zero percentage too.
  void SetPacketLossPercent(const Napi::CallbackInfo& info) {
    OpusEncoder* enc = Require(info.Env(), enc_, "OpusEncoder");
    int32_t p = IntArg(info, 0, "OpusEncoder.setPacketLossPercent", "percent", 0, 100);
    Ctl(info.Env(), opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(p)));
  }

  void SetDtx(const Napi::CallbackInfo& info) {
    OpusEncoder* enc = Require(info.Env(), enc_, "OpusEncoder");
    bool on = BoolArg(info, 0, "OpusEncoder.setDtx", "enabled");
    Ctl(info.Env(), opus_encoder_ctl(enc, OPUS_SET_DTX(on ? 1 : 0)));
  }

  void Reset(const Napi::CallbackInfo& info) {
    Ctl(info.Env(), opus_encoder_ctl(Require(info.Env(), enc_, "OpusEncoder"), OPUS_RESET_STATE));
  }

  void Close(const Napi::CallbackInfo&) { Free(); }

  OpusEncoder* enc_ = nullptr;
  int32_t sampleRate_ = 0;
  int32_t channels_ = 1;
};

class OpusDecoderWrap : public Napi::ObjectWrap<OpusDecoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "OpusDecoder",
                       {
                           InstanceMethod<&OpusDecoderWrap::Decode>("decode"),
                           InstanceMethod<&OpusDecoderWrap::PacketSamples>("packetSamples"),
                           InstanceMethod<&OpusDecoderWrap::Reset>("reset"),
                           InstanceMethod<&OpusDecoderWrap::Close>("close"),
                       });
  }

  explicit OpusDecoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<OpusDecoderWrap>(info) {
    const char* m = "OpusDecoder";
    sampleRate_ = IntArg(info, 0, m, "sampleRate", 8000, 48000);
    if (!ValidRate(sampleRate_)) throw Napi::RangeError::New(info.Env(), "OpusDecoder: unsupported sample rate");
    channels_ = IntArg(info, 1, m, "channels", 1, 2);
    int err = OPUS_OK;
    dec_ = opus_decoder_create(sampleRate_, channels_, &err);
    if (err != OPUS_OK || dec_ == nullptr) Check(info.Env(), err == OPUS_OK ? OPUS_ALLOC_FAIL : err, m);
  }

  ~OpusDecoderWrap() override { Free(); }

 private:
  void Free() {
    if (dec_ != nullptr) opus_decoder_destroy(dec_);
    dec_ = nullptr;
  }

  // decode(payload: Uint8Array | null, out: Int16Array, fec?: boolean): samples per channel, or -1 for a
  // corrupt packet (network data must not throw; the caller conceals instead).
  //   payload null: Opus PLC; out.length must be exactly the missing duration (a multiple of 2.5 ms).
  //   fec true: rebuild the *previous*, lost frame from this packet's LBRR data; out.length = lost duration.
  Napi::Value Decode(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    OpusDecoder* dec = Require(env, dec_, "OpusDecoder");
    Span<int16_t> out = Int16Arg(info, 1, "OpusDecoder.decode", "out");
    bool fec = info.Length() > 2 && !info[2].IsUndefined() && BoolArg(info, 2, "OpusDecoder.decode", "fec");
    size_t cap = out.length / channels_;
    int frame = static_cast<int>(cap < static_cast<size_t>(kMaxFrameSamples) ? cap : kMaxFrameSamples);
    int n;
    if (info[0].IsNull() || info[0].IsUndefined()) {
      n = opus_decode(dec, nullptr, 0, out.data, frame, 0);
    } else {
      Span<uint8_t> in = BytesArg(info, 0, "OpusDecoder.decode", "payload");
      n = opus_decode(dec, in.data, static_cast<opus_int32>(in.length), out.data, frame, fec ? 1 : 0);
    }
    if (n == OPUS_INVALID_PACKET) return Napi::Number::New(env, -1);
    Check(env, n, "OpusDecoder.decode");
    return Napi::Number::New(env, n);
  }

  // packetSamples(payload): samples per channel the packet decodes to at this decoder's rate, -1 if invalid.
  Napi::Value PacketSamples(const Napi::CallbackInfo& info) {
    OpusDecoder* dec = Require(info.Env(), dec_, "OpusDecoder");
    Span<uint8_t> in = BytesArg(info, 0, "OpusDecoder.packetSamples", "payload");
    int n = opus_decoder_get_nb_samples(dec, in.data, static_cast<opus_int32>(in.length));
    return Napi::Number::New(info.Env(), n < 0 ? -1 : n);
  }

  void Reset(const Napi::CallbackInfo& info) {
    Check(info.Env(), opus_decoder_ctl(Require(info.Env(), dec_, "OpusDecoder"), OPUS_RESET_STATE), "OpusDecoder");
  }

  void Close(const Napi::CallbackInfo&) { Free(); }

  OpusDecoder* dec_ = nullptr;
  int32_t sampleRate_ = 0;
  int32_t channels_ = 1;
};

}  // namespace

Napi::Function DefineOpusEncoder(Napi::Env env) { return OpusEncoderWrap::Define(env); }
Napi::Function DefineOpusDecoder(Napi::Env env) { return OpusDecoderWrap::Define(env); }

}  // namespace media
