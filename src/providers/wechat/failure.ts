import { PosternError } from '../../core/errors.ts';

export const wechatFailure = (reason: string): PosternError => new PosternError('wechat_failed', { reason });
