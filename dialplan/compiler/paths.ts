// Where the runtime and the SDK declaration live, resolved from this file so it works from any cwd.
import { fileURLToPath } from 'node:url';

export const RUNTIME_DIR = fileURLToPath(new URL('../runtime/', import.meta.url));
export const RUNTIME_INDEX = fileURLToPath(new URL('../runtime/index.ts', import.meta.url));
export const RUNTIME_BOOT = fileURLToPath(new URL('../runtime/boot.ts', import.meta.url));
export const SDK_DTS = fileURLToPath(new URL('../sdk/index.d.ts', import.meta.url));
export const SDK_MODULE = '@pbx/dialplan';
/** The synthetic bundle entry's name (esbuild reports it as the importer). */
export const ENTRY_NAME = '<pbx-entry>';
export const REALM_ENTRY = fileURLToPath(new URL('../runtime/realm/realm.ts', import.meta.url));
/** The bundle function's parameters: the host channel, the boot values, the realm (runtime/channel.ts). */
export const BUNDLE_PARAMS = ['__pbxHost', '__pbxEnv', '__pbxRealm'] as const;
