import { describe, expect, it } from 'vitest';
import { InvalidSigningSecretError, standardWebhookSignature } from './standardWebhooks';

describe('Standard Webhooks signature', () => {
  // The test vector published with the Standard Webhooks specification's reference libraries.
  it('matches the specification’s test vector', async () => {
    expect(
      await standardWebhookSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('changes with the id, the timestamp and the body', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const base = await standardWebhookSignature(secret, 'msg_1', 1, '{}');
    expect(await standardWebhookSignature(secret, 'msg_2', 1, '{}')).not.toBe(base);
    expect(await standardWebhookSignature(secret, 'msg_1', 2, '{}')).not.toBe(base);
    expect(await standardWebhookSignature(secret, 'msg_1', 1, '{ }')).not.toBe(base);
  });

  it('refuses a secret that is not base64', async () => {
    await expect(standardWebhookSignature('whsec_%%%', 'msg_1', 1, '{}')).rejects.toBeInstanceOf(
      InvalidSigningSecretError,
    );
  });
});
