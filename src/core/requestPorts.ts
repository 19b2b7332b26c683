import type { Lang } from '../i18n/index.ts';

/** What a User-Agent header says about the client. */
export interface ClientDescription {
  /** `Chrome 141`; empty when the User-Agent does not say. */
  browser: string;
  /** `Windows 10`; empty when the User-Agent does not say. */
  os: string;
  /** `Apple iPhone` for phones and tablets. */
  device?: string;
  /** `Chrome 141 · Windows 10`, `Mobile Safari 17 · iOS 17.5 · Apple iPhone`; empty when nothing is known. */
  display: string;
}

export type DescribeUserAgent = (userAgent: string | undefined) => ClientDescription;

export type PlaceKind = 'public' | 'private' | 'loopback' | 'unknown';

/** Where an IP address is, as the offline geo-IP database says. */
export interface Place {
  kind: PlaceKind;
  /** As the database has them, in Chinese; empty when unknown. */
  country: string;
  province: string;
  city: string;
  /** What a person reads: `重庆市` / `Chongqing`, `内网地址` / `Private network`, … */
  display: string;
}

export type LookupPlace = (ip: string, lang: Lang) => Place;
