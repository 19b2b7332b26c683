// The login area's chunk: sign-in and its second step.
export { LoginPage } from './LoginPage.tsx';
export { LoginVerifyPage } from './LoginVerifyPage.tsx';
