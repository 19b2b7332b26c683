// The webmail's chunk (SPEC M3): fetched when /mail is first opened; the editor is a chunk of its own.
import './styles.ts';

export { AppFrame } from '../../components/AppFrame.tsx';
export { MailPage } from './MailPage.tsx';
