// Argument helpers shared by every codec wrapper.
//
// Callers pass preallocated typed arrays in and out and get a length back, so a 20 ms frame crosses the
// boundary without any allocation on either side. Every check throws a JS TypeError/RangeError rather than
// letting a bad argument reach the C libraries, which do no bounds checking of their own.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace media {

template <typename T>
struct Span {
  T* data;
  size_t length;
};

inline std::string ArgName(const char* method, const char* name) {
  return std::string(method) + ": " + name;
}

inline Span<int16_t> Int16Arg(const Napi::CallbackInfo& info, size_t i, const char* method, const char* name) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int16_array) {
    throw Napi::TypeError::New(info.Env(), ArgName(method, name) + " must be an Int16Array");
  }
  auto a = v.As<Napi::TypedArrayOf<int16_t>>();
  return {a.Data(), a.ElementLength()};
}

// Accepts Buffer as well as Uint8Array: a Node Buffer is a Uint8Array.
inline Span<uint8_t> BytesArg(const Napi::CallbackInfo& info, size_t i, const char* method, const char* name) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), ArgName(method, name) + " must be a Buffer or Uint8Array");
  }
  auto a = v.As<Napi::TypedArrayOf<uint8_t>>();
  return {a.Data(), a.ElementLength()};
}

inline int32_t IntArg(const Napi::CallbackInfo& info, size_t i, const char* method, const char* name, int32_t min,
                      int32_t max) {
  Napi::Value v = info[i];
  if (!v.IsNumber()) {
    throw Napi::TypeError::New(info.Env(), ArgName(method, name) + " must be a number");
  }
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || d != static_cast<double>(static_cast<int32_t>(d))) {
    throw Napi::RangeError::New(info.Env(), ArgName(method, name) + " must be an integer in [" + std::to_string(min) +
                                                ", " + std::to_string(max) + "]");
  }
  return static_cast<int32_t>(d);
}

inline bool BoolArg(const Napi::CallbackInfo& info, size_t i, const char* method, const char* name) {
  Napi::Value v = info[i];
  if (!v.IsBoolean()) {
    throw Napi::TypeError::New(info.Env(), ArgName(method, name) + " must be a boolean");
  }
  return v.As<Napi::Boolean>().Value();
}

// Every wrapper owns exactly one native state. close() frees it early (a leg that hangs up should not wait
// for GC); the destructor, run by the ObjectWrap finalizer, frees it otherwise. Calls after close() throw.
template <typename State>
State* Require(const Napi::Env& env, State* state, const char* cls) {
  if (state == nullptr) {
    throw Napi::Error::New(env, std::string(cls) + " is closed");
  }
  return state;
}

}  // namespace media
