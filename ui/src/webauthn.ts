import { browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnAbortService } from '@simplewebauthn/browser';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import i18n from './i18n.ts';

/** What the server's WebAuthn challenges carry (SPEC X1). */
export interface KeyDisplay {
  options: PublicKeyCredentialCreationOptionsJSON | PublicKeyCredentialRequestOptionsJSON;
}

/** A prompt the user cancelled or the browser could not serve: said in the page's words, not the browser's. */
export class KeyPromptError extends Error {}

async function prompt<T>(run: () => Promise<T>): Promise<string> {
  if (!browserSupportsWebAuthn()) throw new KeyPromptError(i18n.t('twoFactor.webauthn.unsupported'));
  try {
    return JSON.stringify(await run());
  } catch {
    throw new KeyPromptError(i18n.t('twoFactor.webauthn.cancelled'));
  }
}

/** The browser's prompt to create a key for the server's registration options; its answer as JSON. */
export const createKey = (display: unknown) => prompt(() => startRegistration({ optionsJSON: (display as KeyDisplay).options as PublicKeyCredentialCreationOptionsJSON }));

/** The browser's prompt to use a key for the server's options; with `autofill`, offered in the username field. */
export const signWithKey = (display: unknown, autofill = false) =>
  prompt(() => startAuthentication({ optionsJSON: (display as KeyDisplay).options as PublicKeyCredentialRequestOptionsJSON, useBrowserAutofill: autofill }));

/** Ends a waiting autofill prompt (before another prompt, or when the page goes). */
export const cancelKeyPrompt = () => WebAuthnAbortService.cancelCeremony();

const lastMethodKey = 'postern.lastMethod';

/** The method last used on this device, offered first next time (C2, X1). */
export const lastMethod = {
  get: (): string | null => localStorage.getItem(lastMethodKey),
  set: (factorId: string) => localStorage.setItem(lastMethodKey, factorId),
};
