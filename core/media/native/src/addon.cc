// Module entry. Napi::Addon keeps per-environment state, so the addon is context-aware and can be loaded
// by several worker_threads at once; no codec keeps global mutable state of its own.
#include <napi.h>
#include <opus/opus.h>

#include "wraps.h"

namespace media {

class MediaNative : public Napi::Addon<MediaNative> {
 public:
  MediaNative(Napi::Env env, Napi::Object exports) {
    Napi::Object features = Napi::Object::New(env);
#ifdef PBX_WITH_G729
    features.Set("g729", true);
#else
    features.Set("g729", false);
#endif
    features.Set("opusVersion", opus_get_version_string());
    DefineAddon(exports, {
                             InstanceValue("OpusEncoder", DefineOpusEncoder(env), napi_enumerable),
                             InstanceValue("OpusDecoder", DefineOpusDecoder(env), napi_enumerable),
                             InstanceValue("G722Encoder", DefineG722Encoder(env), napi_enumerable),
                             InstanceValue("G722Decoder", DefineG722Decoder(env), napi_enumerable),
                             InstanceValue("GsmEncoder", DefineGsmEncoder(env), napi_enumerable),
                             InstanceValue("GsmDecoder", DefineGsmDecoder(env), napi_enumerable),
                             InstanceValue("Resampler", DefineResampler(env), napi_enumerable),
                             InstanceValue("UdpIo", DefineUdpIo(env), napi_enumerable),
#ifdef PBX_WITH_G729
                             InstanceValue("G729Encoder", DefineG729Encoder(env), napi_enumerable),
                             InstanceValue("G729Decoder", DefineG729Decoder(env), napi_enumerable),
#endif
                             InstanceValue("features", features, napi_enumerable),
                         });
  }
};

}  // namespace media

// The macro pastes the class name into an identifier, so it needs an unqualified name.
using media::MediaNative;
NODE_API_ADDON(MediaNative)
