/**
 * Person names jieba's tagger misses. Its HMM finds unknown words (`余运高`, `白霖`) but tags them
 * `x`, not `nr`; Chinese given names are open-ended while surnames are few, so an unknown 2–3
 * character word that starts with a common surname is taken as a name. The surnames are the most
 * frequent ones of the 2020 census (about 86 % of the population), a property of the language,
 * not of our data.
 */
import type { TaggedWord } from '../text/segment.js';

const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'],
);
const HAN2_3 = /^\p{Script=Han}{2,3}$/u;

/** Whether the tagged words hold a person's name that `exclude` (the question) does not. */
export function hasPersonName(words: readonly TaggedWord[], exclude: string): boolean {
  for (const { word, tag } of words) {
    if (word.length < 2 || exclude.includes(word)) continue;
    if (/^nr/u.test(tag)) return true;
    if (tag !== 'x' || !SURNAMES.has(word[0] as string)) continue;
    if (HAN2_3.test(word)) return true;
  }
  return false;
}
