import { PasswordInput } from '@mantine/core';
import type { ReactNode } from 'react';

interface Props {
  label: string;
  autoComplete: 'current-password' | 'new-password';
  value: string;
  onChange: (value: string) => void;
  error?: ReactNode;
}

/** A required password box; 1024 characters is the most the server accepts. */
export function PasswordField({ label, autoComplete, value, onChange, error }: Props) {
  return <PasswordInput label={label} autoComplete={autoComplete} required maxLength={1024} value={value} error={error} onChange={(e) => onChange(e.currentTarget.value)} />;
}
