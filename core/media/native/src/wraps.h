// One constructor per native codec object; addon.cc puts them on the module's exports.
#pragma once

#include <napi.h>

namespace media {

Napi::Function DefineOpusEncoder(Napi::Env env);
Napi::Function DefineOpusDecoder(Napi::Env env);
Napi::Function DefineG722Encoder(Napi::Env env);
Napi::Function DefineG722Decoder(Napi::Env env);
Napi::Function DefineGsmEncoder(Napi::Env env);
Napi::Function DefineGsmDecoder(Napi::Env env);
Napi::Function DefineResampler(Napi::Env env);
// Not a codec: the batched UDP sockets of the RTP path (udp-io.cc).
Napi::Function DefineUdpIo(Napi::Env env);
#ifdef PBX_WITH_G729
Napi::Function DefineG729Encoder(Napi::Env env);
Napi::Function DefineG729Decoder(Napi::Env env);
#endif

}  // namespace media
