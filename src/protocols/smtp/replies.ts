import { PosternError } from '../../core/errors.ts';
import { clientAuthMessage, type ClientAuthFailure } from '../../core/clientAuth.ts';

/** An error smtp-server sends as `<code> <text>`. */
export function smtpError(code: number, text: string): Error {
  const err = new Error(text) as Error & { responseCode: number };
  err.responseCode = code;
  return err;
}

export const reply = {
  relayDenied: () => smtpError(554, '5.7.1 Relay access denied / 不允许转发'),
  noRelayConfigured: () => smtpError(550, '5.7.1 Outbound mail is not configured on this server / 本服务器未配置外发'),
  unknownUser: () => smtpError(550, '5.1.1 No such user here / 收件人不存在'),
  quota: () => smtpError(552, '5.2.2 Mailbox full / 收件人邮箱已满'),
  tooBig: (max: number) => smtpError(552, `5.3.4 Message exceeds the size limit of ${max} bytes / 邮件过大`),
  senderNotOwned: (address: string) => smtpError(553, `5.7.1 <${address}> is not an address of the authenticated account / 发件人地址 <${address}> 不属于登录账号`),
  unsupportedParam: (name: string) => smtpError(555, `5.5.4 ${name} is not supported here / 不支持参数 ${name}`),
  authRequired: '5.7.0 Authentication required / 请先登录',
  nullSender: () => smtpError(553, '5.7.1 A sender address is required / 需要发件人地址'),
  badAddress: () => smtpError(553, '5.1.3 Invalid address / 地址格式不正确'),
  ownDomainForged: () => smtpError(550, '5.7.1 Mail from our own domain must come through submission, or carry our DKIM signature / 本域邮件须经登录发送'),
  dmarcReject: () => smtpError(550, "5.7.1 Rejected by the sender domain's DMARC policy / 发件域的 DMARC 策略要求拒收"),
  spam: () => smtpError(550, '5.7.1 Message looks like spam / 邮件被判定为垃圾邮件'),
  dnsTemporary: () => smtpError(451, '4.4.3 Could not check the sender domain in DNS, try again later / 暂时无法查询发件域，请稍后再试'),
  spamFilterTemporary: () => smtpError(451, '4.7.1 Spam filter unavailable, try again later / 垃圾邮件过滤暂不可用，请稍后再试'),
  tempFailure: () => smtpError(451, '4.3.0 Temporary failure, try again later / 暂时错误，请稍后再试'),
  auth: (reason: ClientAuthFailure) =>
    reason === 'throttled' ? smtpError(454, `4.7.0 ${clientAuthMessage(reason)}`) : smtpError(535, `5.7.8 ${clientAuthMessage(reason)}`),
};

const inboundReplies: Record<string, (() => Error) | undefined> = {
  inbound_own_domain_unauthenticated: reply.ownDomainForged,
  inbound_dmarc_reject: reply.dmarcReject,
  inbound_spam: reply.spam,
  inbound_dns_unavailable: reply.dnsTemporary,
  inbound_spam_filter_unavailable: reply.spamFilterTemporary,
};

/** Errors of the store become SMTP replies; anything unexpected is temporary, so that the sender retries. */
export function storeErrorReply(err: unknown, maxBytes: number): Error {
  if (err instanceof PosternError) {
    if (err.code === 'quota_exceeded') return reply.quota();
    if (err.code === 'message_too_large') return reply.tooBig(maxBytes);
    if (err.code === 'relay_not_configured') return reply.noRelayConfigured();
    if (err.code === 'sender_not_owned') return reply.senderNotOwned(String(err.params.address));
    if (err.code === 'unknown_recipient') return reply.unknownUser();
    const inbound = inboundReplies[err.code];
    if (inbound) return inbound();
  }
  return reply.tempFailure();
}
