// G.729A over bcg729. Compiled only with the opt-in gyp variable with_g729=1 (env PBX_WITH_G729=1):
// bcg729 is GPL-3+, and linking it makes this addon binary GPL. The default build never references it.
//
// 10 ms = 80 samples <-> 10 bytes. We send without VAD/DTX (we offer annexb=no), but a peer may still
// append a 2-byte Annex B SID frame after its voice frames (RFC 3551 4.5.6), so the decoder accepts that.
#include <napi.h>

#include <cstdint>

extern "C" {
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

#include "args.h"
#include "wraps.h"

namespace media {
namespace {

constexpr size_t kSamples = 80;
constexpr size_t kBytes = 10;
constexpr size_t kSidBytes = 2;

class G729EncoderWrap : public Napi::ObjectWrap<G729EncoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "G729Encoder",
                       {
                           InstanceMethod<&G729EncoderWrap::Encode>("encode"),
                           InstanceMethod<&G729EncoderWrap::Reset>("reset"),
                           InstanceMethod<&G729EncoderWrap::Close>("close"),
                       });
  }

  explicit G729EncoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<G729EncoderWrap>(info) { Open(info.Env()); }

  ~G729EncoderWrap() override { Free(); }

 private:
  void Open(const Napi::Env& env) {
    st_ = initBcg729EncoderChannel(0);
    if (st_ == nullptr) throw Napi::Error::New(env, "G729Encoder: initBcg729EncoderChannel failed");
  }

  void Free() {
    if (st_ != nullptr) closeBcg729EncoderChannel(st_);
    st_ = nullptr;
  }

  // encode(pcm: Int16Array of n*80, out: Uint8Array of >= n*10): bytes written.
  Napi::Value Encode(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    bcg729EncoderChannelContextStruct* st = Require(env, st_, "G729Encoder");
    Span<int16_t> pcm = Int16Arg(info, 0, "G729Encoder.encode", "pcm");
    Span<uint8_t> out = BytesArg(info, 1, "G729Encoder.encode", "out");
    if (pcm.length % kSamples != 0) throw Napi::RangeError::New(env, "G729Encoder.encode: need n*80 samples");
    size_t frames = pcm.length / kSamples;
    if (out.length < frames * kBytes) throw Napi::RangeError::New(env, "G729Encoder.encode: out too small");
    size_t written = 0;
    for (size_t f = 0; f < frames; f++) {
      uint8_t len = 0;
      bcg729Encoder(st, pcm.data + f * kSamples, out.data + written, &len);
      written += len;
    }
    return Napi::Number::New(env, static_cast<double>(written));
  }

  void Reset(const Napi::CallbackInfo& info) {
    Require(info.Env(), st_, "G729Encoder");
    Free();
    Open(info.Env());
  }

  void Close(const Napi::CallbackInfo&) { Free(); }

  bcg729EncoderChannelContextStruct* st_ = nullptr;
};

class G729DecoderWrap : public Napi::ObjectWrap<G729DecoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "G729Decoder",
                       {
                           InstanceMethod<&G729DecoderWrap::Decode>("decode"),
                           InstanceMethod<&G729DecoderWrap::Reset>("reset"),
                           InstanceMethod<&G729DecoderWrap::Close>("close"),
                       });
  }

  explicit G729DecoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<G729DecoderWrap>(info) { Open(info.Env()); }

  ~G729DecoderWrap() override { Free(); }

 private:
  void Open(const Napi::Env& env) {
    st_ = initBcg729DecoderChannel();
    if (st_ == nullptr) throw Napi::Error::New(env, "G729Decoder: initBcg729DecoderChannel failed");
  }

  void Free() {
    if (st_ != nullptr) closeBcg729DecoderChannel(st_);
    st_ = nullptr;
  }

  // decode(payload | null, out: Int16Array): samples written, -1 for a malformed payload.
  // null conceals out.length / 80 frames with bcg729's own frame-erasure concealment.
  Napi::Value Decode(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    bcg729DecoderChannelContextStruct* st = Require(env, st_, "G729Decoder");
    Span<int16_t> out = Int16Arg(info, 1, "G729Decoder.decode", "out");
    if (info[0].IsNull() || info[0].IsUndefined()) {
      size_t frames = out.length / kSamples;
      for (size_t f = 0; f < frames; f++) bcg729Decoder(st, nullptr, 0, 1, 0, 0, out.data + f * kSamples);
      return Napi::Number::New(env, static_cast<double>(frames * kSamples));
    }
    Span<uint8_t> in = BytesArg(info, 0, "G729Decoder.decode", "payload");
    size_t frames = in.length / kBytes;
    bool sid = in.length % kBytes == kSidBytes;
    if (in.length == 0 || (in.length % kBytes != 0 && !sid)) return Napi::Number::New(env, -1);
    size_t total = (frames + (sid ? 1 : 0)) * kSamples;
    if (out.length < total) throw Napi::RangeError::New(env, "G729Decoder.decode: out too small");
    for (size_t f = 0; f < frames; f++) {
      bcg729Decoder(st, in.data + f * kBytes, kBytes, 0, 0, 0, out.data + f * kSamples);
    }
    if (sid) bcg729Decoder(st, in.data + frames * kBytes, kSidBytes, 0, 1, 0, out.data + frames * kSamples);
    return Napi::Number::New(env, static_cast<double>(total));
  }

  void Reset(const Napi::CallbackInfo& info) {
    Require(info.Env(), st_, "G729Decoder");
    Free();
    Open(info.Env());
  }

  void Close(const Napi::CallbackInfo&) { Free(); }

  bcg729DecoderChannelContextStruct* st_ = nullptr;
};

}  // namespace

Napi::Function DefineG729Encoder(Napi::Env env) { return G729EncoderWrap::Define(env); }
Napi::Function DefineG729Decoder(Napi::Env env) { return G729DecoderWrap::Define(env); }

}  // namespace media
