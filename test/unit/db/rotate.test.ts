import {describe, expect, it} from '@jest/globals';

import {passwordChange, scramVerifier} from '../../../src/db/rotate.js';

describe('password rotation statements', () => {
  it('sends PostgreSQL a SCRAM-SHA-256 verifier, never the password', () => {
    const change = passwordChange('postgresql', 'n3wPassw0rd');
    expect(change.input).toMatch(/^ALTER ROLE CURRENT_USER PASSWORD 'SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}';\n$/);
    expect(change.input).not.toContain('n3wPassw0rd');
    expect(change.args.join(' ')).not.toContain('n3wPassw0rd');
    // The same salt gives the same verifier; another password another one.
    const salt = Buffer.alloc(16, 1);
    expect(scramVerifier('a', salt)).toBe(scramVerifier('a', salt));
    expect(scramVerifier('a', salt)).not.toBe(scramVerifier('b', salt));
  });

  it('uses the statement each server lets a user run on its own account, the password on stdin only', () => {
    expect(passwordChange('mariadb', 'x1', '10.11.19-MariaDB-0+deb12u1')).toEqual({args: [], input: "SET PASSWORD = PASSWORD('x1');\n"});
    expect(passwordChange('mysql', 'x1', '8.0.36')).toEqual({args: [], input: "ALTER USER USER() IDENTIFIED BY 'x1';\n"});
    expect(passwordChange('redis', 'x1')).toEqual({args: ['-x', 'CONFIG', 'SET', 'requirepass'], input: 'x1'});
  });
});
