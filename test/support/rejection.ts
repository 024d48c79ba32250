import {GshiftError} from '../../src/errors.ts';

/** The GshiftError a promise rejects with; anything else (or no rejection) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<GshiftError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GshiftError) return error;
    throw error;
  }
  throw new Error('expected a GshiftError');
}
