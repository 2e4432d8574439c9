// G.722 over spandsp, 64 kbit/s only (what RTP payload type 9 carries). Audio is 16 kHz although the RTP
// clock is 8000 (RFC 3551's historical error), so 20 ms is 320 samples <-> 160 bytes.
#include <napi.h>
#include <spandsp/telephony.h>
#include <spandsp/g722.h>

#include "args.h"
#include "wraps.h"

namespace media {
namespace {

constexpr int kRate = 64000;

class G722EncoderWrap : public Napi::ObjectWrap<G722EncoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "G722Encoder",
                       {
                           InstanceMethod<&G722EncoderWrap::Encode>("encode"),
                           InstanceMethod<&G722EncoderWrap::Reset>("reset"),
                           InstanceMethod<&G722EncoderWrap::Close>("close"),
                       });
  }

  explicit G722EncoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<G722EncoderWrap>(info) {
    st_ = g722_encode_init(nullptr, kRate, 0);
    if (st_ == nullptr) throw Napi::Error::New(info.Env(), "G722Encoder: g722_encode_init failed");
  }

  ~G722EncoderWrap() override { Free(); }

 private:
  void Free() {
    if (st_ != nullptr) g722_encode_free(st_);
    st_ = nullptr;
  }

  // encode(pcm: Int16Array at 16 kHz, out: Uint8Array of at least pcm.length / 2): bytes written.
  Napi::Value Encode(const Napi::CallbackInfo& info) {
    g722_encode_state_t* st = Require(info.Env(), st_, "G722Encoder");
    Span<int16_t> pcm = Int16Arg(info, 0, "G722Encoder.encode", "pcm");
    Span<uint8_t> out = BytesArg(info, 1, "G722Encoder.encode", "out");
    if (out.length * 2 < pcm.length) throw Napi::RangeError::New(info.Env(), "G722Encoder.encode: out too small");
    int n = g722_encode(st, out.data, pcm.data, static_cast<int>(pcm.length));
    return Napi::Number::New(info.Env(), n);
  }

  // spandsp re-initialises a state in place when given the existing pointer.
  void Reset(const Napi::CallbackInfo& info) { g722_encode_init(Require(info.Env(), st_, "G722Encoder"), kRate, 0); }

  void Close(const Napi::CallbackInfo&) { Free(); }

  g722_encode_state_t* st_ = nullptr;
};

class G722DecoderWrap : public Napi::ObjectWrap<G722DecoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "G722Decoder",
                       {
                           InstanceMethod<&G722DecoderWrap::Decode>("decode"),
                           InstanceMethod<&G722DecoderWrap::Reset>("reset"),
                           InstanceMethod<&G722DecoderWrap::Close>("close"),
                       });
  }

  explicit G722DecoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<G722DecoderWrap>(info) {
    st_ = g722_decode_init(nullptr, kRate, 0);
    if (st_ == nullptr) throw Napi::Error::New(info.Env(), "G722Decoder: g722_decode_init failed");
  }

  ~G722DecoderWrap() override { Free(); }

 private:
  void Free() {
    if (st_ != nullptr) g722_decode_free(st_);
    st_ = nullptr;
  }

  // decode(payload: Uint8Array, out: Int16Array of at least payload.length * 2): samples written (16 kHz).
  Napi::Value Decode(const Napi::CallbackInfo& info) {
    g722_decode_state_t* st = Require(info.Env(), st_, "G722Decoder");
    Span<uint8_t> in = BytesArg(info, 0, "G722Decoder.decode", "payload");
    Span<int16_t> out = Int16Arg(info, 1, "G722Decoder.decode", "out");
    if (out.length < in.length * 2) throw Napi::RangeError::New(info.Env(), "G722Decoder.decode: out too small");
    int n = g722_decode(st, out.data, in.data, static_cast<int>(in.length));
    return Napi::Number::New(info.Env(), n);
  }

  void Reset(const Napi::CallbackInfo& info) { g722_decode_init(Require(info.Env(), st_, "G722Decoder"), kRate, 0); }

  void Close(const Napi::CallbackInfo&) { Free(); }

  g722_decode_state_t* st_ = nullptr;
};

}  // namespace

Napi::Function DefineG722Encoder(Napi::Env env) { return G722EncoderWrap::Define(env); }
Napi::Function DefineG722Decoder(Napi::Env env) { return G722DecoderWrap::Define(env); }

}  // namespace media
