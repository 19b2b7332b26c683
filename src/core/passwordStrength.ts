import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

// Pure logic, also loaded by the password page for its strength meter (ASVS 2.1.8): one rule.

/** zxcvbn's 3: "safely unguessable", about 10¹⁰ guesses or more. */
export const minPasswordScore = 3;

// What the English lists miss and Chinese users pick: pinyin phrases, lucky numbers, local sites.
const chinese = 'woaini aini 1314 5201314 520 woaini1314 nihao mima youxiang zhongguo beijing shanghai chongqing guangzhou shenzhen qq taobao baidu weixin wangyi xuexiao daxue laoshi xuesheng 666 888 168'.split(' ');

// Built once on first use: the common dictionaries and breached-password list, offline.
let estimator: ZxcvbnFactory | undefined;
const strength = () => (estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary, userDefined: chinese }, graphs: adjacencyGraphs }));

/** 0 (guessed at once) to 4 (very strong), with the address's parts counted as known to an attacker. */
export function passwordScore(password: string, address: string): number {
  const [local, domain = ''] = address.toLowerCase().split('@');
  return strength().check(password.slice(0, 100), [local, domain, ...domain.split('.')].filter(Boolean)).score;
}
