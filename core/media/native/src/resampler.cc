// Streaming sample-rate conversion over speexdsp. The state carries the filter history between calls, so a
// stream cut into 20 ms frames converts exactly as if it were one buffer: no clicks at frame edges.
#include <napi.h>
#include <speex/speex_resampler.h>

#include <string>

#include "args.h"
#include "wraps.h"

namespace media {
namespace {

class ResamplerWrap : public Napi::ObjectWrap<ResamplerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Resampler",
                       {
                           InstanceMethod<&ResamplerWrap::Process>("process"),
                           InstanceMethod<&ResamplerWrap::InputLatency>("inputLatency"),
                           InstanceMethod<&ResamplerWrap::OutputLatency>("outputLatency"),
                           InstanceMethod<&ResamplerWrap::Reset>("reset"),
                           InstanceMethod<&ResamplerWrap::Close>("close"),
                       });
  }

  // new Resampler(channels, inRate, outRate, quality 0..10)
  explicit ResamplerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ResamplerWrap>(info) {
    const char* m = "Resampler";
    channels_ = IntArg(info, 0, m, "channels", 1, 8);
    int32_t in = IntArg(info, 1, m, "inRate", 1000, 384000);
    int32_t out = IntArg(info, 2, m, "outRate", 1000, 384000);
    int32_t q = IntArg(info, 3, m, "quality", SPEEX_RESAMPLER_QUALITY_MIN, SPEEX_RESAMPLER_QUALITY_MAX);
    int err = RESAMPLER_ERR_SUCCESS;
    st_ = speex_resampler_init(channels_, in, out, q, &err);
    if (st_ == nullptr || err != RESAMPLER_ERR_SUCCESS) {
      throw Napi::Error::New(info.Env(), std::string("Resampler: ") + speex_resampler_strerror(err));
    }
  }

  ~ResamplerWrap() override { Free(); }

 private:
  void Free() {
    if (st_ != nullptr) speex_resampler_destroy(st_);
    st_ = nullptr;
  }

  // process(input: Int16Array, output: Int16Array): samples written (all channels, interleaved). Throws if
  // output cannot take everything the input yields: silently dropping input would desynchronise the stream.
  Napi::Value Process(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    SpeexResamplerState* st = Require(env, st_, "Resampler");
    Span<int16_t> in = Int16Arg(info, 0, "Resampler.process", "input");
    Span<int16_t> out = Int16Arg(info, 1, "Resampler.process", "output");
    spx_uint32_t inLen = static_cast<spx_uint32_t>(in.length / channels_);
    spx_uint32_t outLen = static_cast<spx_uint32_t>(out.length / channels_);
    spx_uint32_t want = inLen;
    int err = speex_resampler_process_interleaved_int(st, in.data, &inLen, out.data, &outLen);
    if (err != RESAMPLER_ERR_SUCCESS) {
      throw Napi::Error::New(env, std::string("Resampler.process: ") + speex_resampler_strerror(err));
    }
    if (inLen != want) throw Napi::RangeError::New(env, "Resampler.process: output too small for input");
    return Napi::Number::New(env, static_cast<double>(outLen) * channels_);
  }

  Napi::Value InputLatency(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), speex_resampler_get_input_latency(Require(info.Env(), st_, "Resampler")));
  }

  Napi::Value OutputLatency(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), speex_resampler_get_output_latency(Require(info.Env(), st_, "Resampler")));
  }

  void Reset(const Napi::CallbackInfo& info) { speex_resampler_reset_mem(Require(info.Env(), st_, "Resampler")); }

  void Close(const Napi::CallbackInfo&) { Free(); }

  SpeexResamplerState* st_ = nullptr;
  int32_t channels_ = 1;
};

}  // namespace

Napi::Function DefineResampler(Napi::Env env) { return ResamplerWrap::Define(env); }

}  // namespace media
