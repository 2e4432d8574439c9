// GSM 06.10 full rate over libgsm: 160 samples at 8 kHz <-> one 33-byte frame. A packet may carry several
// frames (ptime 40 = 66 bytes), so both directions loop over whole frames.
#include <napi.h>
#include <gsm.h>

#include <cstring>

#include "args.h"
#include "wraps.h"

namespace media {
namespace {

constexpr size_t kSamples = 160;
constexpr size_t kBytes = 33;

class GsmEncoderWrap : public Napi::ObjectWrap<GsmEncoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "GsmEncoder",
                       {
                           InstanceMethod<&GsmEncoderWrap::Encode>("encode"),
                           InstanceMethod<&GsmEncoderWrap::Reset>("reset"),
                           InstanceMethod<&GsmEncoderWrap::Close>("close"),
                       });
  }

  explicit GsmEncoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<GsmEncoderWrap>(info) {
    g_ = gsm_create();
    if (g_ == nullptr) throw Napi::Error::New(info.Env(), "GsmEncoder: gsm_create failed");
  }

  ~GsmEncoderWrap() override { Free(); }

 private:
  void Free() {
    if (g_ != nullptr) gsm_destroy(g_);
    g_ = nullptr;
  }

  // encode(pcm: Int16Array of n*160, out: Uint8Array of >= n*33): bytes written.
  Napi::Value Encode(const Napi::CallbackInfo& info) {
    gsm g = Require(info.Env(), g_, "GsmEncoder");
    Span<int16_t> pcm = Int16Arg(info, 0, "GsmEncoder.encode", "pcm");
    Span<uint8_t> out = BytesArg(info, 1, "GsmEncoder.encode", "out");
    size_t frames = pcm.length / kSamples;
    if (pcm.length % kSamples != 0) throw Napi::RangeError::New(info.Env(), "GsmEncoder.encode: need n*160 samples");
    if (out.length < frames * kBytes) throw Napi::RangeError::New(info.Env(), "GsmEncoder.encode: out too small");
    // gsm_encode takes a non-const pointer; copy so the caller's frame is provably left untouched.
    gsm_signal frame[kSamples];
    for (size_t f = 0; f < frames; f++) {
      std::memcpy(frame, pcm.data + f * kSamples, sizeof frame);
      gsm_encode(g, frame, out.data + f * kBytes);
    }
    return Napi::Number::New(info.Env(), static_cast<double>(frames * kBytes));
  }

  void Reset(const Napi::CallbackInfo& info) {
    Require(info.Env(), g_, "GsmEncoder");
    Free();
    g_ = gsm_create();
    if (g_ == nullptr) throw Napi::Error::New(info.Env(), "GsmEncoder: gsm_create failed");
  }

  void Close(const Napi::CallbackInfo&) { Free(); }

  gsm g_ = nullptr;
};

class GsmDecoderWrap : public Napi::ObjectWrap<GsmDecoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "GsmDecoder",
                       {
                           InstanceMethod<&GsmDecoderWrap::Decode>("decode"),
                           InstanceMethod<&GsmDecoderWrap::Reset>("reset"),
                           InstanceMethod<&GsmDecoderWrap::Close>("close"),
                       });
  }

  explicit GsmDecoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<GsmDecoderWrap>(info) {
    g_ = gsm_create();
    if (g_ == nullptr) throw Napi::Error::New(info.Env(), "GsmDecoder: gsm_create failed");
  }

  ~GsmDecoderWrap() override { Free(); }

 private:
  void Free() {
    if (g_ != nullptr) gsm_destroy(g_);
    g_ = nullptr;
  }

  // decode(payload: n*33 bytes, out: Int16Array of >= n*160): samples written, or -1 when the payload is
  // not whole frames or a frame lacks the 0xD signature (bad network data must not throw).
  Napi::Value Decode(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    gsm g = Require(env, g_, "GsmDecoder");
    Span<uint8_t> in = BytesArg(info, 0, "GsmDecoder.decode", "payload");
    Span<int16_t> out = Int16Arg(info, 1, "GsmDecoder.decode", "out");
    size_t frames = in.length / kBytes;
    if (in.length == 0 || in.length % kBytes != 0) return Napi::Number::New(env, -1);
    if (out.length < frames * kSamples) throw Napi::RangeError::New(env, "GsmDecoder.decode: out too small");
    for (size_t f = 0; f < frames; f++) {
      if (gsm_decode(g, in.data + f * kBytes, out.data + f * kSamples) != 0) return Napi::Number::New(env, -1);
    }
    return Napi::Number::New(env, static_cast<double>(frames * kSamples));
  }

  void Reset(const Napi::CallbackInfo& info) {
    Require(info.Env(), g_, "GsmDecoder");
    Free();
    g_ = gsm_create();
    if (g_ == nullptr) throw Napi::Error::New(info.Env(), "GsmDecoder: gsm_create failed");
  }

  void Close(const Napi::CallbackInfo&) { Free(); }

  gsm g_ = nullptr;
};

}  // namespace

Napi::Function DefineGsmEncoder(Napi::Env env) { return GsmEncoderWrap::Define(env); }
Napi::Function DefineGsmDecoder(Napi::Env env) { return GsmDecoderWrap::Define(env); }

}  // namespace media
