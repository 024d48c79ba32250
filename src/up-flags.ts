import * as Flags from '@oclif/core/flags';

/** Flags `up`, `diff` and `init` share. */
export const fileFlag = Flags.string({char: 'f', description: 'The gshift.yaml to use.', default: 'gshift.yaml', env: 'GSHIFT_FILE'});

/** --env for up and diff: environments of the file (repeatable); not GSHIFT_ENV, which names an app command's default environment. */
export const upEnvFlag = Flags.string({description: 'Only this environment of the file (repeatable; default: all of them).', multiple: true});
