import { Alert, Box, Button, Center, Image, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

const pollMs = 1500;

/** What the server gives to scan: a URL for the phone (emulator), or WeChat's own QR page (official). */
export type WechatDisplay = { scanUrl: string } | { frameUrl: string };

/**
 * Starts a WeChat QR (again on `refresh`) and polls until the phone approved (B3, C4, D3): the
 * page notices by itself. Stops at a refusal, an expired QR or any other error, which it returns.
 */
export function useApproval(start: () => Promise<unknown>, poll: () => Promise<{ status: string }>, onVerified: (reply: unknown) => void, key: string) {
  const { t } = useTranslation();
  const [display, setDisplay] = useState<WechatDisplay | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const doneRef = useRef(false);
  const latest = useRef({ start, poll, onVerified });
  latest.current = { start, poll, onVerified };

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const fail = (err: unknown) => {
      if (stopped) return;
      clearInterval(timer);
      setError(err instanceof ApiError ? err.message : t('errors.network'));
    };
    const tick = () => {
      latest.current.poll().then((reply) => {
        if (stopped || doneRef.current || reply.status === 'pending') return;
        doneRef.current = true;
        clearInterval(timer);
        latest.current.onVerified(reply);
      }, fail);
    };
    setError(null);
    setDisplay(null);
    latest.current.start().then((d) => {
      if (stopped) return;
      setDisplay(d as WechatDisplay);
      timer = setInterval(tick, pollMs);
    }, fail);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [key, round, t]);

  return { display, error, refresh: () => setRound((r) => r + 1) };
}

/** The QR to scan with WeChat, its state, and 刷新二维码 after an error. */
export function WechatQr({ display, error, refresh }: ReturnType<typeof useApproval>) {
  const { t } = useTranslation();
  const [image, setImage] = useState<{ url: string; src: string } | null>(null);
  const scanUrl = display && 'scanUrl' in display ? new URL(display.scanUrl, window.location.origin).href : null;

  useEffect(() => {
    if (!scanUrl) return;
    let live = true;
    // The QR encoder is fetched only when a QR is shown, not with the login page.
    void import('qrcode')
      .then(({ default: QRCode }) => QRCode.toDataURL(scanUrl, { errorCorrectionLevel: 'M', margin: 1, width: 200 }))
      .then((src) => live && setImage({ url: scanUrl, src }));
    return () => {
      live = false;
    };
  }, [scanUrl]);

  return (
    <Stack gap="xs" align="center" data-testid="wechat-qr-box">
      {display && 'frameUrl' in display ? (
        <iframe src={display.frameUrl} title={t('wechatQr.alt')} width={300} height={400} style={{ border: 0 }} />
      ) : (
        <Box pos="relative" w={200} h={200}>
          {image?.url === scanUrl ? (
            <Image src={image.src} w={200} h={200} alt={t('wechatQr.alt')} data-testid="wechat-qr" data-scan-url={scanUrl} style={{ opacity: error ? 0.15 : 1 }} />
          ) : (
            <Center h={200}>
              <Loader size="sm" />
            </Center>
          )}
        </Box>
      )}
      {error ? (
        <>
          <Alert color="red" w="100%" data-testid="wechat-error">
            {error}
          </Alert>
          <Button variant="light" onClick={refresh} data-testid="wechat-refresh">
            {t('wechatQr.refresh')}
          </Button>
        </>
      ) : (
        display && (
          <Text size="sm" c="dimmed" data-testid="wechat-waiting">
            {t('wechatQr.waiting')}
          </Text>
        )
      )}
    </Stack>
  );
}
