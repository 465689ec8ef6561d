import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals a connection's secrets at rest with AES-256-GCM (node:crypto): a fresh 96-bit nonce per
 * seal, and the tag, so a changed or swapped ciphertext fails to open instead of opening as garbage.
 * The key is SHA-256 of CONNECTIONS_KEY, so any long random string serves (like JWT_SECRET).
 * The connection id is the additional data: one connection's sealed secrets pasted into another row do not open.
 */
const VERSION = 'v1';

export class CredentialsKeyError extends Error {
  constructor() {
    super('the credentials cannot be opened: CONNECTIONS_KEY is not the key they were stored with');
  }
}

export interface CredentialsCipher {
  seal(plain: Record<string, string>, connectionId: number): string;
  open(sealed: string, connectionId: number): Record<string, string>;
  /** The stored secrets, or none when they cannot be opened (new credentials then replace them whole). */
  openOrEmpty(sealed: string, connectionId: number): Record<string, string>;
}

export function createCredentialsCipher(secret: string): CredentialsCipher {
  const key = createHash('sha256').update(secret, 'utf8').digest();
  const aad = (connectionId: number) => Buffer.from(`connection:${connectionId}`, 'utf8');
  const cipher: CredentialsCipher = {
    openOrEmpty(sealed, connectionId) {
      try {
        return cipher.open(sealed, connectionId);
      } catch {
        return {};
      }
    },
    seal(plain, connectionId) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(aad(connectionId));
      const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
      return [VERSION, nonce, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, connectionId) {
      const [version, nonce, tag, body] = sealed.split('.');
      if (version !== VERSION || !nonce || !tag || body === undefined) throw new CredentialsKeyError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
        decipher.setAAD(aad(connectionId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
        return JSON.parse(text) as Record<string, string>;
      } catch {
        throw new CredentialsKeyError();
      }
    },
  };
  return cipher;
}
