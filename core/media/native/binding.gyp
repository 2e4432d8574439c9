# Build: npx node-gyp rebuild --directory core/media/native   (from the repo root)
# G.729 (bcg729, GPL-3+) is compiled in only with PBX_WITH_G729=1 in the environment, or with
#   npx node-gyp rebuild --directory core/media/native -- -Dwith_g729=1
# because linking bcg729 makes the resulting binary GPL. See README.md.
{
  'variables': {
    'with_g729%': '<!(echo ${PBX_WITH_G729:-0})',
  },
  'targets': [
    {
      'target_name': 'media_native',
      'sources': [
        'src/addon.cc',
        'src/opus.cc',
        'src/g722.cc',
        'src/gsm.cc',
        'src/resampler.cc',
        'src/udp-io.cc',
      ],
      'dependencies': [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
      ],
      # N-API 8 is in every supported Node (>= 20); pinning it keeps the binary ABI-stable across Node upgrades.
      'defines': ['NAPI_VERSION=8'],
      'cflags_cc': ['-std=c++17', '-O2', '-Wall', '-Wextra'],
      'libraries': ['-lopus', '-lspandsp', '-lgsm', '-lspeexdsp'],
      'conditions': [
        ['with_g729==1', {
          'sources': ['src/g729.cc'],
          'defines': ['PBX_WITH_G729=1'],
          'libraries': ['-lbcg729'],
        }],
      ],
    },
  ],
}
