import { Type } from 'typebox';

export const TokenRequest = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    api_key: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    api_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false, description: 'Either email + password, or api_key + api_secret' },
);

export const RegisterRequest = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 8, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const TokenResponse = Type.Object({
  success: Type.Literal(true),
  token: Type.String(),
  expires_in: Type.Integer(),
});
