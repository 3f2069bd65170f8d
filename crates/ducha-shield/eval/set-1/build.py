# Builds pii-blind-1.jsonl. Written independently of the redactor's code.
import json
from helpers import *

RECS = []

def I(name=None, phone=None, id=None, addr=None, email=None, handle=None):
    return {"name": name, "phone": phone, "id_number": id, "address": addr, "email": email, "handle": handle}

NULL = I()

def R(kind, text, ident, pii, keep, fam, note):
    RECS.append({"kind": kind, "text": text, "identity": ident, "pii": pii, "keep": keep, "families": fam, "note": note})

def pick(region, birth, male=True, want_x=False, start=11):
    for s in range(start, 999):
        v = idn(region, birth, f"{s:03d}")
        if (s % 2 == 1) != male:
            continue
        if want_x and v[-1] != 'X':
            continue
        if not want_x and v[-1] == 'X':
            continue
        return v
    raise ValueError

# ---------------------------------------------------------------- complaints
p = "13803930123"
R("complaint",
  f"来电人反映：濮阳县柳屯镇肖楼村西头有一家塑料颗粒加工厂，天黑以后偷着开机，气味刺鼻，熏得人一晚上睡不着觉，要求督察组尽快查处。来电人王建国，电话138.0393.0123，要求对其身份保密。",
  I(name="王建国", phone=p),
  ["王建国", "138.0393.0123"],
  ["濮阳县", "柳屯镇", "肖楼村", "塑料颗粒加工厂"],
  ["phone_dots", "name_after_role"],
  "Hotline summary with a dotted mobile and a name after 来电人; recorded identity matches.")

p = "15937218846"
R("complaint",
  "嗯，那个，俺是想反映一下，俺们清丰县马庄桥镇店上村北边那个砖窑厂，天天冒黑烟，恁说这咋弄嘞，晾的衣裳都是黑的。俺姓赵，赵德顺，电话是159/3721/8846，恁可别给俺说出去啊。",
  I(name="赵德顺", phone=p),
  ["赵德顺", "159/3721/8846"],
  ["清丰县", "马庄桥镇", "店上村", "砖窑厂"],
  ["phone_slashes", "dialect", "self_id_at_source"],
  "Dialect hotline transcript (俺/恁/咋) with slash-grouped mobile; complainant village is the source village so it is kept.")

p = "18639307751"
R("complaint",
  "来电人称，南乐县韩张镇侯耿村路东有个家具喷漆作坊，没有任何环保设施，油漆味特别大，村里小孩都咳嗽。听说是李二狗家开的，白天关门晚上干。来电人留的号码(186)3930-7751。",
  I(phone=p),
  ["李二狗", "(186)3930-7751"],
  ["南乐县", "韩张镇", "侯耿村", "家具喷漆作坊"],
  ["phone_brackets", "polluter_person", "identity_unknown"],
  "Private workshop owner named as suspected polluter; bracketed mobile; complainant name not given.")

p = "13569312084"
R("complaint",
  f"来电人反映范县王楼镇七里堂村有人在院子里烧废旧轮胎炼油，黑烟很大，味道呛人，已经持续半个多月。来电人刘桂芝（电话 {spaced(p)}）表示自己住在王楼镇东李村，离得不远，天天能闻到。",
  I(name="刘桂芝", phone=p),
  ["刘桂芝", spaced(p), "东李村"],
  ["范县", "王楼镇", "七里堂村", "废旧轮胎炼油"],
  ["phone_spaced", "self_id_elsewhere", "name_after_role"],
  "Space between every digit of a mobile; complainant lives in a different village (pii) of the same township (keep).")

p = "17737935260"
R("complaint",
  "网民留言：华龙区岳村镇石佛店村南地有渣土车夜里偷倒建筑垃圾，扬尘很大，路面全是泥。我是石佛店村的，家住村里3组，电话1773-79-35260，希望有人管管。",
  I(phone=p),
  ["3组", "1773-79-35260"],
  ["华龙区", "岳村镇", "石佛店村", "渣土车", "建筑垃圾"],
  ["phone_hyphens", "self_id_at_source", "identity_unknown"],
  "Odd hyphenation of a mobile; resident of the source village, so only the 组 is pii.")

p = "13939385512"
s = interleave(p, ZWSP)
R("complaint",
  f"举报：濮阳县文留镇盛庄村有个养殖场，粪污直接排进旁边的沟里，一直流到金堤河，臭气熏天。联系电话{s}，举报人孙秀兰。",
  I(name="孙秀兰", phone=p),
  [s, "孙秀兰"],
  ["濮阳县", "文留镇", "盛庄村", "养殖场", "金堤河"],
  ["zwsp", "name_after_role"],
  "Mobile with U+200B between every digit.")

p = "15136952207"
s = p[:3] + ZWJ + p[3:7] + ZWJ + p[7:]
R("complaint",
  f"尊敬的督察组领导：\n您好！我要反映台前县孙口镇桥北张村东头的散煤销售点，露天堆放，没有苫盖，一刮风煤灰满天飞，周边几户人家都不敢开窗。希望领导重视。\n此致\n敬礼！\n反映人：张　春　梅\n电话：{s}\n2023年12月2日",
  I(name="张春梅", phone=p),
  ["张　春　梅", s],
  ["台前县", "孙口镇", "桥北张村", "散煤销售点", "2023年12月2日"],
  ["letter", "name_spaced", "zwj", "name_after_role", "lookalike_place"],
  "Letter with ideographic spaces inside the signature name and ZWJ-split phone; 桥北张村 contains a surname but is a place.")

p = "18237916603"
s = interleave(p, SHY)
R("complaint",
  f"来电人反映，开发区王助镇西李庄村附近有一家小型铸造厂，烟囱冒黄烟，晚上味道最大。来电人称自己是王助镇大村村民，姓陈，电话{s}。",
  I(name="陈", phone=p),
  [s, "大村"],
  ["开发区", "王助镇", "西李庄村", "铸造厂"],
  ["soft_hyphen", "self_id_elsewhere", "lookalike_place"],
  "Soft hyphens between digits; complainant's own village is pii while the source village and 王助镇 are kept.")

p = "13783218459"
s = "1378" + WJ + "321" + WJ + "8459"
R("complaint",
  f"我是清丰县仙庄镇的群众，想反映一下河里赵村那个收废品的大院，天天在院里烧电线皮提铜，味很冲。我叫周文斌，手机{s}。",
  I(name="周文斌", phone=p),
  ["周文斌", s],
  ["清丰县", "仙庄镇", "河里赵村", "收废品的大院"],
  ["word_joiner", "lookalike_place"],
  "Word-joiner-split mobile; 河里赵村 looks like a name but is a village.")

p = "15603935578"
s = rlo(p)
R("complaint",
  f"网上举报：濮阳县胡状镇杨大张村有人开塑料再生作坊，废水直接往地里排。本人电话{s}，请保密。",
  NULL,
  [s],
  ["濮阳县", "胡状镇", "杨大张村", "塑料再生作坊"],
  ["rlo", "identity_unknown", "lookalike_place"],
  "Mobile hidden inside a right-to-left override (digits stored reversed so they display correctly).")

p = "13603936672"
s = fw(p)
R("complaint",
  f"来电人反映：南乐县千口镇苗郭村村北的一家废旧塑料加工厂晚上偷偷生产，烟大味重。来电人姓苗，自称苗郭村村民，电话{s}，希望督察组暗访。",
  I(name="苗凤英", phone=p),
  [s],
  ["南乐县", "千口镇", "苗郭村", "废旧塑料加工厂"],
  ["fullwidth_digits", "self_id_at_source"],
  "Full-width digits mobile; surname alone given, identity name differs in form from text.")

p = "18903931167"
s = circ(p)
R("complaint",
  f"举报濮阳县庆祖镇一家没有手续的沥青搅拌站，烟气黑黄，离学校不到五百米。举报人：欧阳明辉，电话{s}。",
  I(name="欧阳明辉", phone=p),
  ["欧阳明辉", s],
  ["濮阳县", "庆祖镇", "沥青搅拌站"],
  ["circled_digits", "compound_surname", "name_after_role"],
  "Circled-digit mobile and a compound surname after 举报人.")

p = "13937163318"
s = cn(p, one='幺', zero='洞')
R("complaint",
  f"嗯……俺是范县张庄镇范自富村的，就是想说俺村南头那个小炼油的，天天冒黑烟。俺电话是{s}，俺叫范有才。",
  I(name="范有才", phone=p),
  [s, "范有才"],
  ["范县", "张庄镇", "范自富村", "小炼油的"],
  ["chinese_numerals", "dialect", "self_id_at_source", "lookalike_place"],
  "Phone spoken in Chinese numerals with 幺 and 洞; surname 范 also appears in 范县 and the village 范自富村, which are kept.")

p = "15839326045"
s = "一五八39三二6〇四五"
R("complaint",
  f"来电人反映华龙区孟轲乡杨干城社区附近的汽修厂露天喷漆，味道刺鼻。来电人电话{s}，姓司马，不愿留全名。",
  I(phone=p),
  [s],
  ["华龙区", "孟轲乡", "杨干城社区", "汽修厂"],
  ["cn_arabic_mixed", "bare_surname"],
  "Mobile mixing Chinese numerals and Arabic digits; a bare surname statement (姓司马) is left unlabeled.")

p = "03938821376"
R("complaint",
  "来电人反映，濮阳县梨园乡一家粉磨站粉尘很大，周边麦苗上一层白灰。来电人王淑珍，家里座机0393—8821376。",
  I(name="王淑珍", phone="0393-8821376"),
  ["王淑珍", "0393—8821376"],
  ["濮阳县", "梨园乡", "粉磨站"],
  ["landline_sep", "name_after_role"],
  "Private landline written with an em dash after the area code.")

p = "13849373306"
R("complaint",
  "台前县打渔陈镇李文彩村有人在黄河滩里挖沙，夜里大车来回跑，扬尘大，路也轧坏了。我姓马，联系方式+86 138 4937 3306，不要透露我的名字。",
  I(name="马卫东", phone=p),
  ["+86 138 4937 3306"],
  ["台前县", "打渔陈镇", "李文彩村", "黄河"],
  ["intl_prefix", "lookalike_place"],
  "+86 prefixed mobile; 李文彩村 looks exactly like a personal name but is a village.")

idv = pick("410928", "19700313", True, True)
R("complaint",
  f"尊敬的督察组领导：我是濮阳县户部寨镇的村民，实名举报本镇一家镀锌厂偷排酸洗废水。本人王成林，身份证号{idv[:6]} {idv[6:10]} {idv[10:14]} {idv[14:].lower()}，电话13613936024。此致敬礼！",
  I(name="王成林", phone="13613936024", id=idv),
  ["王成林", f"{idv[:6]} {idv[6:10]} {idv[10:14]} {idv[14:].lower()}", "13613936024"],
  ["濮阳县", "户部寨镇", "镀锌厂"],
  ["id_grouped", "id_lower_x", "letter"],
  "ID card number grouped 6-4-4-4 with a lowercase x check character.")

R("complaint",
  "来电人反映：华龙区中原路街道京东社区院内有餐饮油烟直排，楼上住户意见大。来电人自称住在京东社区3号楼2单元501室，电话13503930987。",
  I(phone="13503930987", addr="华龙区京东社区3号楼2单元501室"),
  ["3号楼2单元501室", "13503930987"],
  ["华龙区", "中原路街道", "京东社区", "餐饮油烟"],
  ["self_id_at_source", "flat_address"],
  "Complainant lives in the same community as the source; community kept, flat number pii.")

R("complaint",
  "我家住胜利路街道的一个小区，五号楼三单元七〇二，对面是建设中的楼盘，每天晚上十二点以后还在打桩，噪音加扬尘，投诉多次没人管。工地是濮阳市某某置业公司的“龙城一品”项目。",
  NULL,
  ["五号楼三单元七〇二"],
  ["胜利路街道", "龙城一品", "濮阳市某某置业公司"],
  ["flat_cn_numerals", "identity_unknown"],
  "Flat number entirely in Chinese numerals with 〇.")

R("complaint",
  "尊敬的领导：\n俺是清丰县柳格镇八里庄村五组的，俺村东边有个蛋鸡养殖场，鸡粪乱堆，苍蝇成群，夏天没法过。冬天也是臭。希望给俺们做主。\n签名：卞留柱\n联系电话：一三九 三九三 二二八 七一",
  I(name="卞留柱", phone="13939322871"),
  ["五组", "卞留柱", "一三九 三九三 二二八 七一"],
  ["清丰县", "柳格镇", "八里庄村", "蛋鸡养殖场"],
  ["letter", "name_after_role", "chinese_numerals", "flat_cn_numerals", "self_id_at_source"],
  "Letter signed after 签名 with a grouped Chinese-numeral phone; 组 in Chinese numerals.")

p = "13783961245"
R("complaint",
  "王红旗反映，濮阳县渠村乡青庄村村委会旁边的面粉加工厂噪音大，晚上也不停，粉尘飘到院里。电话13783961245。",
  I(name="王红旗", phone=p),
  ["王红旗", "13783961245"],
  ["濮阳县", "渠村乡", "青庄村", "面粉加工厂"],
  ["name_no_leadin"],
  "Name directly before 反映 with no lead-in.")

R("complaint",
  "李娜来电说她们小区楼下的烧烤摊天天烟熏火燎，地点在华龙区人民路与黄河路交叉口往北五十米。",
  I(name="李娜"),
  ["李娜"],
  ["华龙区", "人民路", "黄河路", "烧烤摊"],
  ["name_no_leadin", "two_char_name"],
  "Two-character name directly before 来电说.")

p = "13523393410"
R("complaint",
  "举报人：诸葛晓东，电话（135）2339-3410。反映内容：南乐县元村镇一家彩钢板厂露天喷漆，无任何废气收集设施。",
  I(name="诸葛晓东", phone=p),
  ["诸葛晓东", "（135）2339-3410"],
  ["南乐县", "元村镇", "彩钢板厂"],
  ["compound_surname", "name_after_role", "phone_brackets"],
  "Compound surname 诸葛 and a mobile with full-width brackets.")

R("complaint",
  "来电人上官秀云反映：范县濮城镇西关村有个废机油提炼点，气味大，废渣乱倒。来电人要求回复，电话0393-5326781转家里。",
  I(name="上官秀云", phone="0393-5326781"),
  ["上官秀云", "0393-5326781"],
  ["范县", "濮城镇", "西关村", "废机油提炼点"],
  ["compound_surname", "name_after_role"],
  "Compound surname 上官; private landline with normal hyphen.")

R("complaint",
  "来电人反映，清丰县韩村镇一家木材加工厂粉尘很大，听说老板叫孙红军，是镇上哪个干部的亲戚，所以一直没人管。来电人不愿留姓名。",
  NULL,
  ["孙红军"],
  ["清丰县", "韩村镇", "木材加工厂"],
  ["polluter_person", "identity_unknown"],
  "Private owner named as polluter; anonymous complainant.")

p = "18768935102"
R("complaint",
  "嗯，我说一下啊，俺庄上张老三家后院支了个小锅炉烧散煤，还烧垃圾，那烟往俺家里灌，咋说他都不听。俺们是濮阳县八公桥镇的。你们记一下俺电话，187 6893 5102。",
  I(phone=p),
  ["张老三", "187 6893 5102"],
  ["濮阳县", "八公桥镇", "散煤"],
  ["polluter_person", "dialect", "honorific"],
  "Nickname-form polluter (张老三) in dialect; 4-digit-grouped mobile.")

R("complaint",
  "来电人刘先生反映，华龙区岳村镇东寨村的商砼站罐车洗车水直排路边沟渠，一直流到马颊河。刘先生电话153 9393 0047。",
  I(name="刘志强", phone="15393930047"),
  ["刘先生", "153 9393 0047"],
  ["华龙区", "岳村镇", "东寨村", "商砼站", "马颊河"],
  ["honorific"],
  "Surname+先生 form; recorded full name is not in the text.")

R("complaint",
  "网友反映：开发区新习镇苏拐村旁边的废品站天天烧东西，黑烟滚滚。周边群众向12345和12369都打过电话，到现在还没处理。",
  NULL,
  [],
  ["开发区", "新习镇", "苏拐村", "废品站", "12345", "12369"],
  ["no_pii", "public_hotline"],
  "No private identity; public hotlines 12345 and 12369 must be kept.")

p = "15093939122"
R("complaint",
  "投诉濮阳县子岸镇一家预制板厂，破碎机一开全是灰。我是子岸镇的，微信同号：zhaoyan_1986，电话15093939122。",
  I(phone=p, handle="zhaoyan_1986"),
  ["zhaoyan_1986", "15093939122"],
  ["濮阳县", "子岸镇", "预制板厂"],
  ["messenger_handle"],
  "WeChat handle after 微信同号：.")

R("complaint",
  "举报南乐县谷金楼镇一个废塑料颗粒厂，大晚上开工。有事加我V信 nlgjl8866 ，不方便接电话。",
  I(handle="nlgjl8866"),
  ["nlgjl8866"],
  ["南乐县", "谷金楼镇", "废塑料颗粒厂"],
  ["messenger_handle"],
  "Handle after V信 with spaces.")

R("complaint",
  "有人在台前县吴坝镇金堤河边上洗沙，河水都浑了。要证据的话可以联系我vx:tq_wuba_lao3，拍了视频。",
  I(handle="tq_wuba_lao3"),
  ["tq_wuba_lao3"],
  ["台前县", "吴坝镇", "金堤河", "洗沙"],
  ["messenger_handle", "identity_unknown"],
  "vx: prefix without space.")

R("complaint",
  "举报清丰县六塔乡一家废旧电瓶拆解点，酸水乱倒。威信ｌｉｕｔａ２０２３，扣扣３３８４５６１０２。",
  NULL,
  ["ｌｉｕｔａ２０２３", "３３８４５６１０２"],
  ["清丰县", "六塔乡", "废旧电瓶拆解点"],
  ["messenger_handle", "fullwidth_digits"],
  "Full-width WeChat handle after 威信 and a full-width QQ after 扣扣.")

R("complaint",
  "投诉：范县陈庄镇有家小造纸厂，废水偷排进金堤河。QQ1053842276，邮箱同号。",
  NULL,
  ["1053842276"],
  ["范县", "陈庄镇", "造纸厂", "金堤河"],
  ["messenger_handle", "identity_unknown"],
  "QQ number glued to QQ with no separator.")

R("complaint",
  "尊敬的督察组：我实名反映濮阳县鲁河镇一家皮革加工作坊污水直排问题，附照片12张。我叫郭保华，邮箱guobaohua1972@163.com，电话13937206615。",
  I(name="郭保华", phone="13937206615", email="guobaohua1972@163.com"),
  ["郭保华", "guobaohua1972@163.com", "13937206615"],
  ["濮阳县", "鲁河镇", "皮革加工作坊"],
  ["email"],
  "Plain e-mail and mobile.")

R("complaint",
  "反映濮阳县习城乡韩岗村的一家化工小作坊，天天晚上排气，闻着头晕。本人不方便接电话，请发邮件 hangang_jb AT 163 dot com 回复处理结果。",
  I(email="hangang_jb@163.com"),
  ["hangang_jb AT 163 dot com"],
  ["濮阳县", "习城乡", "韩岗村", "化工小作坊"],
  ["email_cn_style"],
  "E-mail written as AT / dot.")

R("complaint",
  "举报华龙区孟轲乡一处无证混凝土搅拌站。回复请发到 ma.xiaoli(at)qq(dot)com 或 马晓丽＠ｑｑ．ｃｏｍ，谢谢。",
  I(name="马晓丽", email="ma.xiaoli@qq.com"),
  ["ma.xiaoli(at)qq(dot)com", "马晓丽＠ｑｑ．ｃｏｍ"],
  ["华龙区", "孟轲乡", "混凝土搅拌站"],
  ["email_cn_style", "fullwidth_digits"],
  "Two obfuscated e-mails, one with a Chinese local part and full-width @ and dot.")

p = "13298765530"
R("complaint",
  f"来电人反映，濮阳县五星乡一家废旧轮胎炼油厂恢复生产，夜里黑烟。来电人李建设，电话{p[:3]}.{p[3:7]}.{p[7:]}，住五星乡苏堤村二组，离厂子三里地。",
  I(name="李建设", phone=p),
  ["李建设", "132.9876.5530", "苏堤村二组"],
  ["濮阳县", "五星乡", "废旧轮胎炼油厂"],
  ["phone_dots", "self_id_elsewhere", "name_after_role"],
  "Complainant's home 组 in another village is pii; only township kept.")

R("complaint",
  "领导你好，我是华龙区濮东街道李家楼社区居民，我家附近京开大道东侧的工地不洒水，一过车就是一片黄土，请督促整改。",
  NULL,
  [],
  ["华龙区", "濮东街道", "李家楼社区", "京开大道"],
  ["self_id_at_source", "lookalike_place", "no_pii"],
  "Resident of the community where the dust source is, with no finer detail: nothing to redact; 李家楼 is a place.")

R("complaint",
  "我是开发区皇甫街道胡乜社区的居民，想反映一下京开大道与濮上路交叉口西北角那个建筑工地，夜间施工、扬尘都很严重。我姓韩，手机1370393/5521。",
  I(name="韩", phone="13703935521"),
  ["胡乜社区", "1370393/5521"],
  ["开发区", "皇甫街道", "京开大道", "濮上路", "建筑工地"],
  ["self_id_elsewhere", "phone_slashes"],
  "Complainant's own community differs from the source crossroads, so the community is pii.")

R("complaint",
  "来电人反映：南乐县福堪镇宋耿落村有家石材加工厂，切割石头的泥浆水直接排到村边的坑塘里。来电人电话：0393-6217705（家），13837934280（手机），来电人宋立新。",
  I(name="宋立新", phone="13837934280"),
  ["0393-6217705", "13837934280", "宋立新"],
  ["南乐县", "福堪镇", "宋耿落村", "石材加工厂"],
  ["name_after_role", "lookalike_place"],
  "Two numbers, landline and mobile; village 宋耿落村 shares the complainant's surname.")

p = "13503938127"
R("complaint",
  f"尊敬的省督察组领导：\n我是濮阳县城关镇居民，住在濮阳县城关镇建设路北段金堤小区七号楼一单元六〇二室。小区南侧有一家洗车店，污水直接排入雨水管网，流进濮水河。多次向有关部门反映未果。\n此致\n敬礼\n群众：高秀琴\n电话：{fw(p)}\n2023年11月28日",
  I(name="高秀琴", phone=p, addr="濮阳县城关镇金堤小区7号楼1单元602"),
  ["七号楼一单元六〇二室", "高秀琴", fw(p)],
  ["濮阳县城关镇", "建设路", "金堤小区", "洗车店", "濮水河", "2023年11月28日"],
  ["letter", "flat_cn_numerals", "fullwidth_digits", "self_id_at_source"],
  "Letter; complainant's compound is also where the car wash is, so compound kept and flat pii.")

R("complaint",
  "举报濮阳县海通乡的一个生猪屠宰点，血水乱排。举报人手机号＋８６－１５９－３９３８－６６１２。",
  I(phone="15939386612"),
  ["＋８６－１５９－３９３８－６６１２"],
  ["濮阳县", "海通乡", "生猪屠宰点"],
  ["intl_prefix", "fullwidth_digits", "phone_hyphens"],
  "Full-width +86 with full-width hyphens.")

R("complaint",
  "我在外地打工，家是清丰县巩营乡的，听家里人说村里有人烧秸秆和垃圾。打我电话0086 13673930458，晚上打。",
  I(phone="13673930458"),
  ["0086 13673930458"],
  ["清丰县", "巩营乡"],
  ["intl_prefix", "identity_unknown"],
  "0086 prefix; source location only as township.")

R("complaint",
  "来电人反映：华龙区孟轲乡东城花园社区门口的路边摊烧烤油烟大。来电人家中座机（0393）4412098，手机无。",
  I(phone="0393-4412098"),
  ["（0393）4412098"],
  ["华龙区", "孟轲乡", "东城花园社区", "路边摊烧烤"],
  ["landline_sep", "phone_brackets"],
  "Private landline with full-width brackets around the area code.")

R("complaint",
  "反映开发区胡村乡一个钢构厂夜间喷漆。电话0393 8967541，找老刘。",
  I(phone="0393-8967541"),
  ["0393 8967541", "老刘"],
  ["开发区", "胡村乡", "钢构厂"],
  ["landline_sep", "honorific"],
  "Landline with space after area code; 老+surname refers to the complainant.")

idv = pick("410926", "19851003", False)
R("complaint",
  f"实名举报：范县辛庄镇一家废塑料清洗点，把清洗废水排到渠里。举报人：杨　丽，身份证：{fw(idv)}，电话18239350716。",
  I(name="杨丽", phone="18239350716", id=idv),
  ["杨　丽", fw(idv), "18239350716"],
  ["范县", "辛庄镇", "废塑料清洗点"],
  ["id_fullwidth", "two_char_name", "name_spaced", "fullwidth_digits"],
  "Full-width ID number and a two-character name split by an ideographic space.")

idv = pick("410923", "19570421", True, True)
idcn = cn(idv[:-1], zero='零') + 'x'
R("complaint",
  f"俺是老党员，俺实名举报。南乐县杨村乡有个养牛场，牛粪堆成山，下雨就往路上流。俺叫魏长河，身份证号码{idcn}，恁们查查。",
  I(name="魏长河", id=idv),
  ["魏长河", idcn],
  ["南乐县", "杨村乡", "养牛场"],
  ["id_chinese", "id_lower_x", "dialect"],
  "ID number written entirely in Chinese numerals with a lowercase x check character.")

R("complaint",
  "反映台前县马楼镇一家木器厂喷漆不开环保设备，只有检查时才开。来电人身份证号410927650312021，姓吕。",
  I(name="吕", id="410927650312021"),
  ["410927650312021"],
  ["台前县", "马楼镇", "木器厂"],
  ["id_15"],
  "Old 15-digit ID card number.")

R("complaint",
  "王 建 国反映：南乐县张果屯镇一家砖厂还在用土窑，烟很大。请核查。",
  I(name="王建国"),
  ["王 建 国"],
  ["南乐县", "张果屯镇", "砖厂"],
  ["name_spaced", "name_no_leadin"],
  "Name with ASCII spaces between characters, directly before 反映; recorded in canonical form.")

R("complaint",
  "来电人：王·建国（自称退休教师），反映濮阳县徐镇镇一家塑料厂晚上偷排，味儿很大，持续一个多月了。",
  I(name="王建国"),
  ["王·建国"],
  ["濮阳县", "徐镇镇", "塑料厂"],
  ["name_spaced", "name_after_role"],
  "Name with a middle dot between surname and given name.")

R("complaint",
  "联系人：陈.晓.燕　电话：139-3932-0516　事由：清丰县固城镇一个家具厂喷漆无环保设备。",
  I(name="陈晓燕", phone="13939320516"),
  ["陈.晓.燕", "139-3932-0516"],
  ["清丰县", "固城镇", "家具厂"],
  ["name_spaced", "name_after_role"],
  "Name with ASCII dots between characters after 联系人.")

R("complaint",
  "濮阳县清河头乡清河头村北边有个没手续的沥青站，一开工就是一股柏油味，麦地上都落了一层黑油点子。老百姓都知道是村里张某军家的亲戚在干，谁也不敢说。",
  NULL,
  ["张某军"],
  ["濮阳县", "清河头乡", "清河头村", "沥青站"],
  ["polluter_person", "identity_unknown"],
  "Partially masked polluter name (surname + 某 + given character) still identifies a private person.")

R("complaint",
  "来电人反映南乐县近德固乡一家私人小诊所医疗垃圾乱扔，诊所是刘大夫开的，叫刘振江。",
  NULL,
  ["刘大夫", "刘振江"],
  ["南乐县", "近德固乡", "医疗垃圾", "私人小诊所"],
  ["polluter_person", "honorific", "identity_unknown"],
  "Private clinic owner named as polluter, with surname+大夫 form.")

R("complaint",
  "反映清丰县大屯乡大屯村村民李志刚私自在自家院里搞废旧轮胎炼油，黑烟冒一宿。我是他邻居，不敢说名字。",
  NULL,
  ["李志刚"],
  ["清丰县", "大屯乡", "大屯村", "废旧轮胎炼油"],
  ["polluter_person", "identity_unknown"],
  "Private villager named as the polluter; the village is the source, so it is kept.")

R("complaint",
  "举报人欧阳红梅来电，反映华龙区大庆路街道一家KTV夜里噪声扰民，同时后厨油烟直排。联系方式：一八六 幺二三九 三三〇八。",
  I(name="欧阳红梅", phone="18612393308"),
  ["欧阳红梅", "一八六 幺二三九 三三〇八"],
  ["华龙区", "大庆路街道", "KTV"],
  ["compound_surname", "chinese_numerals", "name_after_role"],
  "Compound surname and phone in Chinese numerals with 幺 and 〇.")

R("complaint",
  "我实名举报！濮阳县梁庄镇一家废纸再生厂，私设暗管往河里排黑水。我叫司马国庆，梁庄镇北街的，电话1８６-3９3①-2２0７。",
  I(name="司马国庆", phone="18639312207"),
  ["司马国庆", "1８６-3９3①-2２0７"],
  ["濮阳县", "梁庄镇", "废纸再生厂"],
  ["compound_surname", "fullwidth_digits", "circled_digits", "multi_trick", "phone_hyphens"],
  "Phone mixing half-width, full-width and circled digits with hyphens.")

R("complaint",
  "督察组的领导好，俺是台前县夹河乡的老百姓，俺们乡黄河大堤下边有个砂场，一天到晚大车不停，扬尘大得很。俺叫两个字，吕强，电话一三八三九三二两两〇五。",
  I(name="吕强", phone="13839322205"),
  ["吕强", "一三八三九三二两两〇五"],
  ["台前县", "夹河乡", "黄河大堤", "砂场"],
  ["chinese_numerals", "two_char_name", "dialect"],
  "Two-character name and phone in Chinese numerals using 两 for 2.")

p = "13569392231"
s = "1" + ZWSP + "3569" + ZWSP + "392" + SHY + "231"
R("complaint",
  f"举报：开发区昆吾街道卫南居委会附近的铝型材厂，酸洗废气熏人。举报人何春生 {s}，微信hcs_1968。",
  I(name="何春生", phone=p, handle="hcs_1968"),
  ["何春生", s, "hcs_1968"],
  ["开发区", "昆吾街道", "卫南居委会", "铝型材厂"],
  ["zwsp", "soft_hyphen", "messenger_handle", "multi_trick", "name_after_role"],
  "Phone split by a mix of ZWSP and soft hyphen, plus a WeChat handle.")

R("complaint",
  "来电人称：我是濮阳县柳屯镇柳阳社区的住户，柳阳社区12号楼3单元401，楼后面就是一家做塑料袋的小厂，吹膜机整夜不停，味道和噪音都受不了。",
  I(addr="濮阳县柳屯镇柳阳社区12号楼3单元401"),
  ["12号楼3单元401"],
  ["濮阳县", "柳屯镇", "柳阳社区", "塑料袋的小厂"],
  ["self_id_at_source", "flat_address"],
  "Same community as the source; flat number pii only.")

R("complaint",
  "网友“濮阳小树苗”留言：南乐县城关镇西环路边的一家汽修厂喷漆房没有任何处理，附近学校孩子放学都能闻到。",
  I(handle="濮阳小树苗"),
  ["濮阳小树苗"],
  ["南乐县", "城关镇", "西环路", "汽修厂"],
  ["at_handle", "web_post"],
  "Web username in quotes identifies the poster.")

R("complaint",
  "反映范县高码头镇一家生物质颗粒厂，烟囱冒白烟带焦味。来电人是附近的司机，叫朱师傅，电话不留。",
  NULL,
  ["朱师傅"],
  ["范县", "高码头镇", "生物质颗粒厂"],
  ["honorific", "identity_unknown"],
  "Surname+师傅 form for the complainant.")

R("complaint",
  "来电人反映：濮阳县王称堌镇有人在镇南的废砖窑里烧工业垃圾，气味刺鼻，烧完的灰渣直接埋在地里。来电人要求匿名。",
  NULL,
  [],
  ["濮阳县", "王称堌镇", "废砖窑", "工业垃圾"],
  ["no_pii", "lookalike_place"],
  "No private identity; 王称堌镇 begins with a common surname.")

R("complaint",
  "反映开发区王助镇王助东村东边的一个塑料造粒厂，每天凌晨2点到5点生产，气味刺鼻。该厂已被查封过1次，2023年10月又偷偷恢复生产。",
  NULL,
  [],
  ["开发区", "王助镇", "王助东村", "塑料造粒厂", "2023年10月"],
  ["no_pii", "lookalike_place"],
  "No identity; times and dates must survive.")

R("complaint",
  "我叫马红霞，是清丰县瓦屋头镇的，我要举报我们镇上一个收破烂的，姓冯，叫冯老四，他把收来的废电瓶拆了，硫酸水往沟里倒。我电话13523952274。",
  I(name="马红霞", phone="13523952274"),
  ["马红霞", "冯老四", "13523952274"],
  ["清丰县", "瓦屋头镇"],
  ["polluter_person", "honorific"],
  "Complainant and a nickname-named private polluter in the same line.")

R("complaint",
  "喂，喂？听得见不？俺是那个，俺是濮阳县郎中乡的，俺想说俺们村那个养猪的，姓蔡，蔡金锁，他那猪粪都倒到村南沟里了，臭得不能闻。俺的电话？一五六，三九三九，七七一〇，记住没？",
  I(phone="15639397710"),
  ["蔡金锁", "一五六，三九三九，七七一〇"],
  ["濮阳县", "郎中乡"],
  ["polluter_person", "chinese_numerals", "dialect"],
  "Chinese-numeral phone broken by full-width commas in speech.")

R("complaint",
  "来电人反映，台前县侯庙镇有家小化肥厂，烟筒冒黄烟，周边群众嗓子疼。来电人叫侯玉兰，她说她弟弟侯玉山也被熏病了，住院了，可以作证，侯玉山电话13781365029。",
  I(name="侯玉兰"),
  ["侯玉兰", "侯玉山", "13781365029"],
  ["台前县", "侯庙镇", "化肥厂"],
  ["witness", "lookalike_place"],
  "A witness (third party) with name and phone; surname equals the township's first character.")

R("complaint",
  "举报南乐县西邵乡一家铸造厂。落款：任广生，2023年12月4日。",
  I(name="任广生"),
  ["任广生"],
  ["南乐县", "西邵乡", "铸造厂", "2023年12月4日"],
  ["name_after_role"],
  "Name after 落款.")

R("complaint",
  "我是华龙区任丘路街道的居民，任丘路和长庆路交叉口的加油站在改建，油气味很大，不知道有没有环评。我姓任，手机号码：138３９３０７７２１。",
  I(name="任", phone="13839307721"),
  ["138３９３０７７２１"],
  ["华龙区", "任丘路街道", "任丘路", "长庆路", "加油站"],
  ["fullwidth_digits", "cn_arabic_mixed", "lookalike_place"],
  "Half-width/full-width mixed mobile; surname 任 also starts 任丘路 which is kept.")

R("complaint",
  "濮阳县城关镇振兴路南段有家烧烤店油烟直排，我是楼上住户，住振兴路南段二十六号院三号楼一单元四楼东户，电话不方便留。",
  NULL,
  ["二十六号院三号楼一单元四楼东户"],
  ["濮阳县", "城关镇", "振兴路", "烧烤店"],
  ["flat_cn_numerals", "self_id_at_source"],
  "Long Chinese-numeral dwelling description above the source shop.")

R("complaint",
  "举报范县颜村铺乡一家养鸭场，鸭粪水排进沟渠，最终流入金堤河。举报人 張　國　強，電話 １３９．３９３５．２０１８。",
  I(name="张国强", phone="13939352018"),
  ["張　國　強", "１３９．３９３５．２０１８"],
  ["范县", "颜村铺乡", "养鸭场", "金堤河"],
  ["name_spaced", "fullwidth_digits", "phone_dots", "multi_trick"],
  "Traditional-character spaced name vs simplified recorded name; full-width dotted phone.")

R("complaint",
  "来电人反映：濮阳县文留镇中原油田采油厂某井场附近有原油落地，污染农田。来电人为文留镇前草场村村民，姓刘，电话15225312803。",
  I(phone="15225312803"),
  ["前草场村", "15225312803"],
  ["濮阳县", "文留镇", "中原油田", "井场"],
  ["self_id_elsewhere"],
  "Complainant's village differs from the oil-field site, so his village is pii.")

R("complaint",
  "反映清丰县高堡乡、马村乡交界处有人夜里往废坑里倒化工废液，车是外地牌照的罐车。来电人：梁　宏，手机 １８３ ９３９３ ６６０１，要求回复。",
  I(name="梁宏", phone="18393936601"),
  ["梁　宏", "１８３ ９３９３ ６６０１"],
  ["清丰县", "高堡乡", "马村乡", "罐车"],
  ["two_char_name", "name_spaced", "fullwidth_digits"],
  "Two-character name with ideographic space; full-width grouped phone.")

R("complaint",
  "你好，濮阳县白堽乡有人在河堤上烧电缆皮，就在白堽大桥往东一里地。我在那边种地看见的，电话①⑤⑧③⑨③⑦②⑥④⑧，我姓潘。",
  I(phone="15839372648"),
  ["①⑤⑧③⑨③⑦②⑥④⑧"],
  ["濮阳县", "白堽乡", "白堽大桥"],
  ["circled_digits"],
  "Fully circled-digit mobile.")

R("complaint",
  "尊敬的领导：我是南乐县梁村乡的一名教师，学校东边三百米有一家砖厂，上课时烟味飘进教室。我的联系方式：jiaoshi_liang＠126.com。此致敬礼。梁村乡中心校一教师",
  I(email="jiaoshi_liang@126.com"),
  ["jiaoshi_liang＠126.com"],
  ["南乐县", "梁村乡", "砖厂", "梁村乡中心校"],
  ["email", "letter", "identity_unknown"],
  "E-mail with full-width @; school named as landmark is kept.")

R("complaint",
  "这是第三次反映了！濮阳县徐镇镇那个塑料颗粒厂上次说关了，现在又开了，晚上十点以后开机。我是徐镇镇徐镇村的，电话还是上次那个，183-9393-2145。",
  I(phone="18393932145"),
  ["徐镇村", "183-9393-2145"],
  ["濮阳县", "徐镇镇", "塑料颗粒厂"],
  ["self_id_elsewhere"],
  "Repeat complaint; the factory is only located at township level so the complainant's village is pii.")

R("complaint",
  "来电人反映：华龙区黄河路街道一家洗浴中心锅炉烧散煤。来电人：黄先生，电话：1 3 9 3 9 3 0 5 1 2 8。",
  I(name="黄新民", phone="13939305128"),
  ["黄先生", "1 3 9 3 9 3 0 5 1 2 8"],
  ["华龙区", "黄河路街道", "洗浴中心", "散煤"],
  ["phone_spaced", "honorific", "lookalike_place"],
  "Spaced digits; surname 黄 also begins 黄河路 which must survive.")

R("complaint",
  "濮阳县户部寨镇一家煤球厂粉尘大，周边的房子上全是黑灰。我姓周，电话一三九．三九三二．〇八六七，我家就住厂子隔壁，户部寨村四组。",
  I(phone="13939320867"),
  ["一三九．三九三二．〇八六七", "四组"],
  ["濮阳县", "户部寨镇", "煤球厂", "户部寨村"],
  ["chinese_numerals", "phone_dots", "flat_cn_numerals", "self_id_at_source"],
  "Chinese-numeral phone with full-width dots; neighbour of the source so only the 组 is pii.")

R("complaint",
  "网友留言：有没有人管管南乐县千口镇的那个翻新轮胎厂？天天烧胶味。好多人都在说。督察组交办编号：D410923-2023-0187。",
  NULL,
  [],
  ["南乐县", "千口镇", "翻新轮胎厂", "D410923-2023-0187"],
  ["no_pii"],
  "Case reference number must be kept; no private identity.")

R("complaint",
  "清丰县阳邵镇一家蛋鸡场，粪便晾晒场无防渗，味道特别大。联系人：阳先生 0393-7251‑446",
  I(name="阳", phone="0393-7251446"),
  ["阳先生", "0393-7251‑446"],
  ["清丰县", "阳邵镇", "蛋鸡场"],
  ["honorific", "phone_hyphens", "lookalike_place"],
  "Landline with a non-breaking hyphen (U+2011) inside the subscriber number; surname equals the township's first char.")

p = "15093932716"
R("complaint",
  f"举报：濮阳县胡状镇后胡状村有个小铝厂，熔铝的烟特别呛，烟囱很矮。我是胡状镇中胡状村的，离得很近。我叫胡秀娥，电话{rlo(p[:7])}{p[7:]}。",
  I(name="胡秀娥", phone=p),
  ["中胡状村", "胡秀娥", f"{rlo(p[:7])}{p[7:]}"],
  ["濮阳县", "胡状镇", "后胡状村", "小铝厂"],
  ["rlo", "self_id_elsewhere", "lookalike_place"],
  "Partial right-to-left override over the first 7 digits; neighbour village (pii) vs source village (keep) differ by one character.")

R("complaint",
  "投诉开发区濮上街道一家商砼站，罐车带泥上路。车牌号豫J·8K626、豫J·8K627都是该商砼站的车，天天在濮上路上跑。",
  NULL,
  [],
  ["开发区", "濮上街道", "商砼站", "豫J·8K626", "豫J·8K627", "濮上路"],
  ["no_pii", "license_plate"],
  "Enterprise truck license plates are kept.")

p = "18637933852"
R("complaint",
  f"那个…俺想反映个事，范县杨集乡俺们庄东头，有人开了个小作坊熬沥青，熏得人头疼。俺是那个，杨集乡的，俺叫杨　二　妮，电话{p[:3]}{WJ}{p[3:7]}{WJ}{p[7:]}，恁记住啊。",
  I(name="杨二妮", phone=p),
  ["杨　二　妮", f"{p[:3]}{WJ}{p[3:7]}{WJ}{p[7:]}"],
  ["范县", "杨集乡", "熬沥青"],
  ["word_joiner", "name_spaced", "dialect", "lookalike_place"],
  "Word-joiner-split phone and spaced name; surname 杨 also begins 杨集乡.")

R("complaint",
  "12369您好，我想举报濮阳县庆祖镇西辛庄村附近一个废旧家电拆解点，拆出来的塑料和电路板直接烧。我是濮阳市华龙区的，回老家看见的，电话13607692043，我叫庆　小　华。",
  I(name="庆小华", phone="13607692043"),
  ["13607692043", "庆　小　华"],
  ["12369", "濮阳县", "庆祖镇", "西辛庄村", "废旧家电拆解点", "华龙区"],
  ["name_spaced", "public_hotline", "lookalike_place"],
  "Spaced name whose surname is the first character of the township.")

R("complaint",
  f"实名举报清丰县纸房乡一家纸箱厂违规使用燃煤锅炉。举报人董玉梅，身份证{idn('410922','19680709','042')[:10]}　{idn('410922','19680709','042')[10:]}，手机同微信 13839386091。",
  I(name="董玉梅", phone="13839386091", id=idn('410922','19680709','042')),
  ["董玉梅", f"{idn('410922','19680709','042')[:10]}　{idn('410922','19680709','042')[10:]}", "13839386091"],
  ["清丰县", "纸房乡", "纸箱厂", "燃煤锅炉"],
  ["id_grouped", "name_after_role"],
  "ID split once by an ideographic space.")

R("complaint",
  "反映濮阳县海通乡一家蔬菜大棚大量焚烧废旧棚膜。来电人是海通乡的种植户，姓宁，手机一三九三九三一五〇六八，座机零三九三—八三二一五七六。",
  I(name="宁", phone="13939315068"),
  ["一三九三九三一五〇六八", "零三九三—八三二一五七六"],
  ["濮阳县", "海通乡", "蔬菜大棚"],
  ["chinese_numerals", "landline_sep"],
  "Landline in Chinese numerals with an em dash after the area code.")

R("complaint",
  "尊敬的督察组领导：\n我叫李　秀英，家住华龙区岳村镇瓦屋村，现反映岳村镇西岳村北边的一家废旧物资回收站长期露天焚烧垃圾问题。该回收站老板叫岳长海，据说有背景。我多次向镇里反映，至今未解决。\n联系电话：139 3932 7718\n邮箱：lixiuying1966 at 126.com\n此致\n敬礼！\n李秀英\n二〇二三年十二月五日",
  I(name="李秀英", phone="13939327718", email="lixiuying1966@126.com"),
  ["李　秀英", "瓦屋村", "岳长海", "139 3932 7718", "lixiuying1966 at 126.com", "李秀英"],
  ["华龙区", "岳村镇", "西岳村", "废旧物资回收站", "二〇二三年十二月五日"],
  ["letter", "multi_trick", "self_id_elsewhere", "polluter_person", "email_cn_style", "name_spaced"],
  "Long letter: spaced and unspaced forms of the name, other-village residence, polluter owner, at-style email; Chinese-numeral date must survive.")

R("complaint",
  "网友在网络问政平台留言：濮阳县子岸镇一家石料厂日夜开采，炮声不断，灰尘满天。村民多次反映无果。留言时间：2023-12-01 21:34。",
  NULL,
  [],
  ["濮阳县", "子岸镇", "石料厂", "2023-12-01 21:34"],
  ["no_pii", "web_post"],
  "No identity; timestamp must survive.")

R("complaint",
  "来电人反映，南乐县寺庄乡寺庄村有个做活性炭的小厂，晚上烧木头，烟大，周边群众有意见。来电人说这个厂是村支书亲戚开的，具体名字不清楚。",
  NULL,
  [],
  ["南乐县", "寺庄乡", "寺庄村", "活性炭的小厂"],
  ["no_pii", "official_by_post"],
  "Official mentioned only by post; nothing to redact.")

R("complaint",
  "我是台前县清水河乡的村民程志远，手机 ①③⑧-④⑨③⑦-⓪②⑤⑥，反映我们乡一个养殖场粪污直排黄河滩区。我家住清水河乡后程村七组，养殖场在前程村南。",
  I(name="程志远", phone="13849370256"),
  ["程志远", "①③⑧-④⑨③⑦-⓪②⑤⑥", "后程村七组"],
  ["台前县", "清水河乡", "养殖场", "黄河滩区", "前程村"],
  ["circled_digits", "self_id_elsewhere", "flat_cn_numerals", "phone_hyphens"],
  "Circled digits with hyphens; home village-group in another village is pii.")

R("complaint",
  "来电人：陈(先生)，13837907865，反映濮阳县城关镇人民路东段一家复印店旁边的小印刷厂用油墨有异味。",
  I(name="陈", phone="13837907865"),
  ["陈(先生)", "13837907865"],
  ["濮阳县", "城关镇", "人民路", "印刷厂"],
  ["honorific", "name_after_role"],
  "Surname with bracketed 先生.")

R("complaint",
  "举报人：慕容雪（化名？不是，真名），电话1５８-3９-3８-0４-1２，反映清丰县城关镇一个铝合金门窗厂喷塑车间异味大。",
  I(name="慕容雪", phone="15839380412"),
  ["慕容雪", "1５８-3９-3８-0４-1２"],
  ["清丰县", "城关镇", "铝合金门窗厂"],
  ["compound_surname", "phone_hyphens", "fullwidth_digits", "multi_trick"],
  "Compound surname 慕容, phone in pairs of mixed-width digits.")

R("complaint",
  "南乐县韩张镇小江村村民郭凤兰反映：她家就在小江村村南，旁边有个做豆腐皮的作坊，污水直接排到她家门口的坑里。电话13503921768。",
  I(name="郭凤兰", phone="13503921768"),
  ["郭凤兰", "13503921768"],
  ["南乐县", "韩张镇", "小江村", "豆腐皮的作坊"],
  ["self_id_at_source", "name_no_leadin"],
  "Villager of the source village (kept) named before 反映.")

R("complaint",
  "举报濮阳县渠村乡一家石子厂。我：T_T 不敢留名，V：qucun-shizi-jubao，有照片。",
  NULL,
  ["qucun-shizi-jubao"],
  ["濮阳县", "渠村乡", "石子厂"],
  ["messenger_handle"],
  "Bare 'V：' prefix for a WeChat handle.")

R("complaint",
  "来电人反映：华龙区孟轲乡孟轲集社区附近一个废品收购站占道经营，焚烧废品。来电人叫孟　凡，电话（0393）－8816204。",
  I(name="孟凡", phone="0393-8816204"),
  ["孟　凡", "（0393）－8816204"],
  ["华龙区", "孟轲乡", "孟轲集社区", "废品收购站"],
  ["landline_sep", "name_spaced", "two_char_name", "lookalike_place"],
  "Landline with full-width brackets and full-width hyphen; two-char spaced name sharing the first char of 孟轲乡.")

R("complaint",
  "反映：范县龙王庄镇一家面粉厂的锅炉烧煤，群众意见大。反映人签名：龙　飞　云。",
  I(name="龙飞云"),
  ["龙　飞　云"],
  ["范县", "龙王庄镇", "面粉厂"],
  ["name_after_role", "name_spaced", "lookalike_place"],
  "Signed spaced name whose surname is the first character of 龙王庄镇.")

R("complaint",
  "督察组领导你们好，我是清丰县的，我家在县城，说一下清丰县双庙乡一家沥青拌合站，我路过闻到的，特别难闻。我电话是幺三九三九三幺幺两八七〇。",
  I(phone="13939311287"),
  ["幺三九三九三幺幺两八七〇"],
  ["清丰县", "双庙乡", "沥青拌合站"],
  ["chinese_numerals"],
  "Phone entirely in spoken Chinese numerals with 幺 and 两.")

R("complaint",
  "举报人李卫国，男，身份证号：４１０９２８１９６２０８１５２０３８，联系电话１３９３９３７８８２１，反映濮阳县八公桥镇一家石灰窑违法生产。",
  I(name="李卫国", phone="13939378821", id="410928196208152038"),
  ["李卫国", "４１０９２８１９６２０８１５２０３８", "１３９３９３７８８２１"],
  ["濮阳县", "八公桥镇", "石灰窑"],
  ["id_fullwidth", "fullwidth_digits", "name_after_role"],
  "Full-width ID and phone.")

R("complaint",
  "本人住南乐县元村镇东关村，举报同镇西关一个废旧轮胎炼油点，黑烟大。电话：(+86)15937931102。",
  I(phone="15937931102"),
  ["东关村", "(+86)15937931102"],
  ["南乐县", "元村镇", "西关", "废旧轮胎炼油点"],
  ["intl_prefix", "self_id_elsewhere", "phone_brackets"],
  "Bracketed +86 prefix; '本人住' residence village differs from the source.")

R("complaint",
  "濮阳县鲁河镇鲁河村有人在村西坑塘里倾倒污泥，黑臭。看见倒的是一辆无牌三轮，司机好像是邻村的人，大家都叫他黑娃。",
  NULL,
  ["黑娃"],
  ["濮阳县", "鲁河镇", "鲁河村", "坑塘"],
  ["polluter_person", "nickname"],
  "A private person referred to only by nickname as the polluter.")

R("complaint",
  "来电人反映开发区新习镇后河村东一家家具厂，喷漆无环保设施。来电人说这个厂是后河村的刘国庆和他小舅子王海涛合伙开的。来电人不留姓名电话。",
  NULL,
  ["刘国庆", "王海涛"],
  ["开发区", "新习镇", "后河村", "家具厂"],
  ["polluter_person", "identity_unknown"],
  "Two private owners named; anonymous complainant.")

R("complaint",
  "举报华龙区胜利路街道一家干洗店，四氯乙烯味道很大。我在楼上住，胜利路168号院2号楼1单元302。电话就不留了。",
  NULL,
  ["168号院2号楼1单元302"],
  ["华龙区", "胜利路街道", "干洗店"],
  ["flat_address", "identity_unknown"],
  "Street-numbered compound with flat; street name kept, house number and flat pii.")

R("complaint",
  "来电人反映：濮阳县梨园乡一家屠宰场夜间偷排血水至第三濮清南干渠。来电人：聂　军，电话：+86-139-3938-4410。",
  I(name="聂军", phone="13939384410"),
  ["聂　军", "+86-139-3938-4410"],
  ["濮阳县", "梨园乡", "屠宰场", "第三濮清南干渠"],
  ["intl_prefix", "name_spaced", "two_char_name", "phone_hyphens"],
  "+86 with hyphens; two-character name with an ideographic space.")

R("complaint",
  "我是南乐县张果屯镇居民，要反映南乐县城关镇一家汽车喷漆店，我在那里上班，老板不让开净化器。请为我保密，QQ:1475263308，电话：一八九三九三六 8517。",
  NULL,
  ["1475263308", "一八九三九三六 8517"],
  ["南乐县", "张果屯镇", "城关镇", "汽车喷漆店"],
  ["messenger_handle", "cn_arabic_mixed"],
  "Employee whistle-blower with QQ number and a half-Chinese half-Arabic phone.")

R("complaint",
  "我是濮阳县庆祖镇西辛庄村村民，家住西辛庄村二组18号。村东新建的养鸡场紧挨着我家，气味大，苍蝇多。",
  NULL,
  ["二组18号"],
  ["濮阳县", "庆祖镇", "西辛庄村", "养鸡场"],
  ["self_id_at_source", "flat_cn_numerals"],
  "Resident of the source village: group and house number are pii, village kept.")

R("complaint",
  "俺家住在南乐县谷金楼镇，俺要反映的是清丰县巩营乡那边的化工厂，风一刮就刮俺们这边来了。俺是王　大　娘的闺女，恁有事打俺电话，幺五幺，三九三七，二〇〇八。",
  NULL,
  ["王　大　娘", "幺五幺，三九三七，二〇〇八"],
  ["南乐县", "谷金楼镇", "清丰县", "巩营乡", "化工厂"],
  ["dialect", "chinese_numerals", "name_spaced"],
  "Rambling dialect: a mother referred to by surname+大娘 with spaces; the village is a relative's, not a dwelling, and is kept.")

R("complaint",
  "反映人：钱老师（濮阳市第一中学退休），反映华龙区建设路街道一家餐馆油烟直排，熏到学校宿舍。",
  NULL,
  ["钱老师"],
  ["华龙区", "建设路街道", "餐馆", "濮阳市第一中学"],
  ["honorific", "name_after_role"],
  "Surname+老师; school named as landmark kept.")

R("complaint",
  "举报范县王楼镇皇姑庙村北边的塑料厂，晚上开工，黑烟很大。举报人：王　楼，电话 1 5 9 3 9 3 1 4 4 7 0。",
  I(name="王楼", phone="15939314470"),
  ["王　楼", "1 5 9 3 9 3 1 4 4 7 0"],
  ["范县", "王楼镇", "皇姑庙村", "塑料厂"],
  ["name_spaced", "two_char_name", "phone_spaced", "lookalike_place"],
  "Complainant name 王楼 identical to part of the township name 王楼镇; the spaced form must go, the township must stay.")

R("complaint",
  "网友投诉：清丰县仙庄镇天云寺村附近一家废塑料厂，2023年12月以来恢复生产，每天排放异味。附件：现场照片3张、视频1段。坐标：北纬35.97°，东经115.12°。",
  NULL,
  [],
  ["清丰县", "仙庄镇", "天云寺村", "废塑料厂", "2023年12月", "北纬35.97°", "东经115.12°"],
  ["no_pii", "coordinates"],
  "Coordinates and dates must be kept.")

R("complaint",
  "来电人反映：台前县城关镇一家石材厂切割粉尘大。来电人电话１３６ ３９３２ ７７０８，要求回访时不要说是她举报的，她在该厂打工，叫范　芳。",
  I(name="范芳", phone="13639327708"),
  ["１３６ ３９３２ ７７０８", "范　芳"],
  ["台前县", "城关镇", "石材厂"],
  ["fullwidth_digits", "name_spaced", "two_char_name"],
  "Full-width grouped phone and spaced two-character name.")

R("complaint",
  "反映开发区王助镇闫堤村有个熬骨头的作坊，味太臭了。联系：wx ytc_wangzhu，或者打1８７‑3９３９‑0２１２。",
  I(handle="ytc_wangzhu", phone="18739390212"),
  ["ytc_wangzhu", "1８７‑3９３９‑0２１２"],
  ["开发区", "王助镇", "闫堤村", "熬骨头的作坊"],
  ["messenger_handle", "fullwidth_digits", "phone_hyphens"],
  "wx prefix with a space; mixed-width phone with non-breaking hyphens.")

R("complaint",
  "濮阳县城关镇居民反映：县城开州路与铁丘路交叉口附近夜间渣土车抛洒严重，车牌号豫J·C2213、豫J·C2217，属于濮阳某某建设工程有限公司。",
  NULL,
  [],
  ["濮阳县", "城关镇", "开州路", "铁丘路", "渣土车", "豫J·C2213", "豫J·C2217", "濮阳某某建设工程有限公司"],
  ["no_pii", "license_plate"],
  "Enterprise truck plates kept; no identity.")

R("complaint",
  "反映台前县后方乡一个小炼油厂的问题，电话 +8615803937742，我是后方乡的，不方便说名字。",
  I(phone="15803937742"),
  ["+8615803937742"],
  ["台前县", "后方乡", "小炼油厂"],
  ["intl_prefix", "identity_unknown"],
  "+86 glued to the number.")

# ---------------------------------------------------------------- reports
R("report",
  "调查核实情况：2023年12月3日，柳屯镇分管副镇长带领镇环保所、综合执法中队人员到肖楼村现场核查。经查，反映的塑料颗粒加工厂位于肖楼村西，系村民肖国栋私自经营，无环评手续，群众反映问题属实。已电话联系举报人王建国（手机138 0393 0123），向其反馈处理情况。",
  I(name="王建国", phone="13803930123"),
  ["肖国栋", "王建国", "138 0393 0123"],
  ["2023年12月3日", "柳屯镇", "肖楼村", "塑料颗粒加工厂"],
  ["staff_typed", "polluter_person", "official_by_post"],
  "Township report naming the private operator and the complainant with a grouped mobile.")

R("report",
  "处理和整改情况：1.对该加工厂下达《责令改正违法行为决定书》（濮环责改字〔2023〕第127号），依法罚款5万元；2.拆除生产设备3台套，断电断水；3.镇村两级落实网格化监管，每日巡查。",
  NULL,
  [],
  ["濮环责改字〔2023〕第127号", "5万元", "3台套"],
  ["staff_typed", "no_pii"],
  "Decision number and fine amount must survive.")

R("report",
  "办结目标：2023年12月31日前完成整改，确保污染源彻底取缔，群众满意度达到90%以上。",
  NULL,
  [],
  ["2023年12月31日", "90%"],
  ["staff_typed", "no_pii"],
  "Pure target field, nothing to redact.")

R("report",
  "经与反映人赵德顺（159/3721/8846）电话沟通，其反映的马庄桥镇店上村砖窑厂已于2023年12月4日停产，窑体正在拆除，反映人表示基本满意。",
  I(name="赵德顺", phone="15937218846"),
  ["赵德顺", "159/3721/8846"],
  ["马庄桥镇", "店上村", "砖窑厂", "2023年12月4日"],
  ["staff_typed", "phone_slashes", "name_after_role"],
  "Handler copies the complainant's slash-grouped mobile into the report.")

R("report",
  "调查核实情况：经韩张镇政府组织人员现场核查，侯耿村确有一处家具喷漆作坊，经营者李二狗（身份证号41092319810315099X），无任何环保手续，群众反映属实。",
  NULL,
  ["李二狗", "41092319810315099X"],
  ["韩张镇", "侯耿村", "家具喷漆作坊"],
  ["staff_typed", "polluter_person"],
  "Operator's ID number in a handling report.")

R("report",
  "已电话联系举报人王某（手机：13803930123），住肖楼村三组，告知处理结果，举报人无异议。",
  I(name="王建国", phone="13803930123"),
  ["王某", "13803930123", "三组"],
  ["肖楼村"],
  ["staff_typed", "self_id_at_source", "flat_cn_numerals"],
  "Surname+某 still reveals a surname; the village is the source location so only the 组 is pii.")

R("report",
  "整改措施：一是立即关停该作坊，清除原料和成品；二是对经营者进行约谈，签订不再生产承诺书；三是由七里堂村两委安排专人盯守，防止死灰复燃；四是镇环保所每周复查不少于2次。",
  NULL,
  [],
  ["七里堂村", "2次"],
  ["staff_typed", "no_pii"],
  "Rectification measures with no private identity.")

R("report",
  "调查核实情况：接到交办件后，王楼镇立即组织人员到七里堂村核查，发现村民宋海林在自家院内利用土法炼制废旧轮胎，现场存放废轮胎约2吨。已与来电人刘女士（电话１３５６９３１２０８４）取得联系并反馈。",
  I(name="刘桂芝", phone="13569312084"),
  ["宋海林", "刘女士", "１３５６９３１２０８４"],
  ["王楼镇", "七里堂村", "2吨"],
  ["staff_typed", "polluter_person", "honorific", "fullwidth_digits"],
  "Report with honorific form of the complainant and full-width phone.")

R("report",
  "经与反映人孙秀兰同志电话核实（电话：139-3938-5512），其反映的盛庄村养殖场粪污外排问题属实。",
  I(name="孙秀兰", phone="13939385512"),
  ["孙秀兰", "139-3938-5512"],
  ["盛庄村", "养殖场"],
  ["staff_typed", "name_after_role"],
  "经与反映人 … 核实 pattern.")

R("report",
  "处理和整改情况：文留镇对盛庄村养殖场下达停产整改通知，要求2023年12月15日前完成粪污处理设施建设。县生态环境局立案调查，案件编号：濮县环罚〔2023〕0331号。",
  NULL,
  [],
  ["文留镇", "盛庄村", "养殖场", "2023年12月15日", "濮县环罚〔2023〕0331号"],
  ["staff_typed", "no_pii"],
  "Case number and dates must be kept.")

R("report",
  "调查核实情况：12月5日上午，孙口镇组织人员对桥北张村散煤销售点进行检查，该销售点负责人张守义（电话13839301742）承认未苫盖。反映人张春梅已于当日回访，对处理结果表示满意。",
  I(name="张春梅", phone="13649300915"),
  ["张守义", "13839301742", "张春梅"],
  ["12月5日", "孙口镇", "桥北张村", "散煤销售点"],
  ["staff_typed", "polluter_person", "lookalike_place"],
  "Point operator's phone differs from the complainant's recorded phone; both people are private.")

R("report",
  f"已与举报人陈先生（{interleave('18237916603', SHY)}）电话沟通，告知王助镇西李庄村铸造厂已停产。",
  I(name="陈", phone="18237916603"),
  ["陈先生", interleave('18237916603', SHY)],
  ["王助镇", "西李庄村", "铸造厂"],
  ["staff_typed", "soft_hyphen", "honorific"],
  "Soft hyphens survived copy-paste into the handling report.")

R("report",
  "调查核实情况：经核查，来电人周文斌反映的河里赵村废品收购点焚烧电线问题属实，该收购点经营者为河里赵村村民赵永刚，已责令其停止焚烧并清运现场垃圾。",
  I(name="周文斌", phone="13783218459"),
  ["周文斌", "赵永刚"],
  ["河里赵村", "废品收购点"],
  ["staff_typed", "polluter_person", "lookalike_place"],
  "Village named with a surname (赵) next to a private operator with the same surname.")

R("report",
  "调查核实情况：胡状镇成立工作专班，于2023年12月6日对杨大张村进行拉网式排查，未发现塑料再生作坊，群众反映问题不属实。因举报人未留姓名，无法回访。",
  NULL,
  [],
  ["胡状镇", "2023年12月6日", "杨大张村", "塑料再生作坊"],
  ["staff_typed", "no_pii", "lookalike_place"],
  "No identity; village with surname-like name.")

R("report",
  "经与举报人苗女士（电话：１３６０３９３６６７２；住址：千口镇苗郭村２组）核实，其反映的废旧塑料加工厂位于苗郭村北，群众反映情况属实。",
  I(name="苗凤英", phone="13603936672"),
  ["苗女士", "１３６０３９３６６７２", "２组"],
  ["千口镇", "苗郭村"],
  ["staff_typed", "fullwidth_digits", "honorific", "self_id_at_source"],
  "Staff-typed address where the village is the source; full-width 组 number pii.")

R("report",
  "处理和整改情况：庆祖镇联合县自然资源局、县生态环境局对沥青搅拌站依法取缔，拆除搅拌设备1套、储罐2个，罚款20万元。已向举报人欧阳明辉反馈，电话⑱⑨⓪③⑨③①①⑥⑦不通，已短信告知。",
  I(name="欧阳明辉", phone="18903931167"),
  ["欧阳明辉", "⑱⑨⓪③⑨③①①⑥⑦"],
  ["庆祖镇", "沥青搅拌站", "20万元"],
  ["staff_typed", "circled_digits", "compound_surname"],
  "Circled digits including the two-digit circled ⑱ glyph.")

R("report",
  "调查核实情况：反映人范有才所称范自富村南小炼油点，经张庄镇人员核查，系本村村民范二保于2023年11月私自搭建，现场有炼油釜1个。",
  I(name="范有才", phone="13937163318"),
  ["范有才", "范二保"],
  ["范自富村", "张庄镇", "2023年11月"],
  ["staff_typed", "polluter_person", "lookalike_place"],
  "Complainant, polluter and village all begin with 范; only the two persons are pii.")

R("report",
  "调查核实情况：经孟轲乡政府核查，杨干城社区附近汽修厂确存在露天喷漆行为。因来电人司马先生（一五八３９三二６〇四五）要求保密，回访时未透露其身份。",
  I(phone="15839326045"),
  ["司马先生", "一五八３９三二６〇四五"],
  ["孟轲乡", "杨干城社区", "汽修厂"],
  ["staff_typed", "compound_surname", "honorific", "cn_arabic_mixed", "fullwidth_digits"],
  "Compound surname + 先生 and a mixed Chinese/full-width phone.")

R("report",
  "反馈情况：经与来电人王女士（座机0393—8821376）联系，梨园乡粉磨站已安装布袋除尘器并加装围挡，来电人表示满意。",
  I(name="王淑珍", phone="0393-8821376"),
  ["王女士", "0393—8821376"],
  ["梨园乡", "粉磨站"],
  ["staff_typed", "landline_sep", "honorific"],
  "Em-dash landline copied into a report.")

R("report",
  "调查核实情况：打渔陈镇组织国土所、派出所于12月4日夜间在李文彩村黄河滩区蹲守，查获非法采砂船1艘、运砂车2辆（豫J·7M259、豫J·7M261），车主为台前县某某运输有限公司。",
  NULL,
  [],
  ["打渔陈镇", "12月4日", "李文彩村", "黄河滩区", "豫J·7M259", "豫J·7M261", "台前县某某运输有限公司"],
  ["staff_typed", "no_pii", "license_plate", "lookalike_place"],
  "Enterprise plates and a person-like village name to keep.")

R("report",
  "调查核实情况：户部寨镇经核查，镀锌厂为濮阳县某某金属制品有限公司（统一社会信用代码" + uscc("91410928MA44P7R6X") + "），存在酸洗废水未经处理外排问题。已将处理情况反馈实名举报人王成林（身份证410928********069X）。",
  I(name="王成林", phone="13613936024", id=pick("410928", "19700313", True, True)),
  ["王成林", "410928********069X"],
  ["户部寨镇", "镀锌厂", "濮阳县某某金属制品有限公司", uscc("91410928MA44P7R6X")],
  ["staff_typed", "uscc_code"],
  "A credit code that looks like an ID must be kept; a partly masked ID still reveals region and sequence and is listed.")

R("report",
  "调查核实情况：京东社区餐饮油烟直排问题属实，涉及“老街坊”饭店一家。已联系来电人（住京东社区3号楼2单元501室，电话13503930987）反馈。",
  I(phone="13503930987", addr="华龙区京东社区3号楼2单元501室"),
  ["3号楼2单元501室", "13503930987"],
  ["京东社区", "老街坊", "饭店"],
  ["staff_typed", "flat_address", "self_id_at_source"],
  "Staff repeat the complainant's flat in the report.")

R("report",
  "经与反映人卞留柱（电话一三九三九三二二八七一）核实，八里庄村蛋鸡养殖场鸡粪堆放问题属实，已督促养殖户卞国平清运鸡粪约30立方米。",
  I(name="卞留柱", phone="13939322871"),
  ["卞留柱", "一三九三九三二二八七一", "卞国平"],
  ["八里庄村", "蛋鸡养殖场", "30立方米"],
  ["staff_typed", "chinese_numerals", "polluter_person"],
  "Report keeping a Chinese-numeral phone verbatim.")

R("report",
  "调查核实情况：渠村乡环保所12月6日对青庄村面粉加工厂进行检查，噪声监测结果为夜间58分贝，超过标准。王红旗反映问题属实。",
  I(name="王红旗", phone="13783961245"),
  ["王红旗"],
  ["渠村乡", "青庄村", "面粉加工厂", "58分贝", "12月6日"],
  ["staff_typed", "name_no_leadin"],
  "Name before 反映 inside a staff report.")

R("report",
  "处理和整改情况：1、责令华龙区黄河路与人民路交叉口北侧烧烤摊主李某国（经营者李保国，手机15936982204）立即安装油烟净化设施；2、城管部门加强巡查。",
  I(name="李娜"),
  ["李某国", "李保国", "15936982204"],
  ["华龙区", "黄河路", "人民路", "烧烤摊"],
  ["staff_typed", "polluter_person", "identity_mismatch"],
  "Only the stall owner (not the complainant) appears; his data is unknown to the redactor.")

R("report",
  "调查核实情况：经核查，元村镇彩钢板厂属实存在露天喷漆情况。已向举报人诸葛先生（（135）2339-3410）反馈，其对处理结果不满意，称晚上仍有异味。",
  I(name="诸葛晓东", phone="13523393410"),
  ["诸葛先生", "（135）2339-3410"],
  ["元村镇", "彩钢板厂"],
  ["staff_typed", "compound_surname", "honorific", "phone_brackets"],
  "Compound surname + 先生 in a report.")

R("report",
  "调查核实情况：濮城镇西关村废机油提炼点系外来人员租用村民院落经营，租户为山东籍人员孙某某（孙长军），房东为西关村村民刘秀芝。",
  I(name="上官秀云", phone="0393-5326781"),
  ["孙某某", "孙长军", "刘秀芝"],
  ["濮城镇", "西关村", "废机油提炼点"],
  ["staff_typed", "polluter_person", "identity_mismatch"],
  "Tenant and landlord are private persons unrelated to the recorded identity.")

R("report",
  "处理情况：韩村镇对木材加工厂（经营者孙红军）下达停产通知。经与反映人电话沟通（反映人：匿名，电话：135 0393 4412），反映人表示认可。",
  I(phone="13503934412"),
  ["孙红军", "135 0393 4412"],
  ["韩村镇", "木材加工厂"],
  ["staff_typed", "polluter_person"],
  "Anonymous complainant's phone recorded by staff.")

R("report",
  "调查核实情况：经查，八公桥镇张老三（本名张新民）在自家院内安装燃煤小锅炉，并焚烧生活垃圾，群众反映问题属实。已责令拆除锅炉。来电人（电话187-6893-5102）已知晓。",
  I(phone="18768935102"),
  ["张老三", "张新民", "187-6893-5102"],
  ["八公桥镇"],
  ["staff_typed", "polluter_person", "nickname"],
  "Nickname plus real name of the private polluter.")

R("report",
  "办结目标：彻底取缔岳村镇东寨村商砼站洗车废水直排行为，建设三级沉淀池，实现洗车废水循环利用，2024年1月10日前完成。",
  NULL,
  [],
  ["岳村镇", "东寨村", "商砼站", "2024年1月10日"],
  ["staff_typed", "no_pii"],
  "Target field without identity.")

R("report",
  "已电话联系举报人刘先生，手机尾号0047，住岳村镇石佛店村，非商砼站所在村，告知处理结果。",
  I(name="刘志强", phone="15393930047"),
  ["刘先生", "石佛店村"],
  ["岳村镇", "商砼站"],
  ["staff_typed", "honorific", "self_id_elsewhere"],
  "Phone tail digits only (kept as non-identifying); complainant's own village differs from source so it is pii.")

R("report",
  "调查核实情况：新习镇对苏拐村废品站进行检查，未发现焚烧痕迹，但现场堆放杂乱，已责令清理。举报人微信zhaoyan_1986已反馈。",
  I(handle="zhaoyan_1986"),
  ["zhaoyan_1986"],
  ["新习镇", "苏拐村", "废品站"],
  ["staff_typed", "messenger_handle"],
  "Handle copied into a report.")

R("report",
  "调查核实情况：经与举报人（QQ：1053842276，邮箱：1053842276@qq.com）联系，陈庄镇小造纸厂已于11月30日停产。",
  NULL,
  ["1053842276", "1053842276@qq.com"],
  ["陈庄镇", "小造纸厂", "11月30日"],
  ["staff_typed", "messenger_handle", "email"],
  "QQ number and QQ mail address.")

R("report",
  "回复情况：已按举报人要求，将处理结果发送至邮箱 guobaohua1972＠163．com，举报人郭保华已回复收到。",
  I(name="郭保华", email="guobaohua1972@163.com"),
  ["guobaohua1972＠163．com", "郭保华"],
  [],
  ["staff_typed", "email", "fullwidth_digits"],
  "E-mail with full-width @ and dot in a report.")

R("report",
  "调查核实情况：习城乡对韩岗村进行排查，发现一处无证化工作坊，经营者系外村人员郝建业，住习城乡郝相楼村三组，电话0393-4679912。",
  NULL,
  ["郝建业", "郝相楼村三组", "0393-4679912"],
  ["习城乡", "韩岗村", "化工作坊"],
  ["staff_typed", "polluter_person", "flat_cn_numerals"],
  "Polluter's own dwelling elsewhere is pii; source village kept.")

R("report",
  "调查核实情况：五星乡已对废旧轮胎炼油厂实施断电，查封设备。举报人李建设（132.9876.5530）称其家住苏堤村二组，要求查看现场，已安排回访。",
  I(name="李建设", phone="13298765530"),
  ["李建设", "132.9876.5530", "苏堤村二组"],
  ["五星乡", "废旧轮胎炼油厂"],
  ["staff_typed", "phone_dots", "self_id_elsewhere"],
  "Dotted phone and other-village residence in a report.")

R("report",
  "调查核实情况：经皇甫街道核查，京开大道与濮上路交叉口西北角工地为濮阳某某置业有限公司开发的“锦绣华府”项目，施工单位为河南某某建工集团有限公司，项目负责人已被约谈。",
  NULL,
  [],
  ["皇甫街道", "京开大道", "濮上路", "濮阳某某置业有限公司", "锦绣华府", "河南某某建工集团有限公司"],
  ["staff_typed", "no_pii", "official_by_post"],
  "Enterprise names and a named project, no private person.")

R("report",
  "经与反映人宋立新（0393-6217705）核实，福堪镇宋耿落村石材加工厂泥浆水外排问题属实。该厂负责人宋某（宋建军，电话138 3793 1166）已签订整改承诺书。",
  I(name="宋立新", phone="13837934280"),
  ["宋立新", "0393-6217705", "宋某", "宋建军", "138 3793 1166"],
  ["福堪镇", "宋耿落村", "石材加工厂"],
  ["staff_typed", "polluter_person", "lookalike_place"],
  "Several people sharing the surname of the village; all persons pii, village kept.")

R("report",
  "调查核实情况：城关镇执法中队现场检查金堤小区南侧洗车店，该店老板高二军已安装三级沉淀池。反映人高秀琴（住７号楼１单元６０２）已现场确认。",
  I(name="高秀琴", phone="13503938127", addr="濮阳县城关镇金堤小区7号楼1单元602"),
  ["高二军", "高秀琴", "７号楼１单元６０２"],
  ["城关镇", "金堤小区", "洗车店"],
  ["staff_typed", "fullwidth_digits", "flat_address", "polluter_person"],
  "Full-width flat number in a report.")

R("report",
  "调查核实情况：海通乡生猪屠宰点经营者为本乡宁庄村村民宁保山，身份证４１０９２８ １９７５ ０６２１ ００１８（复印件存档）。",
  NULL,
  ["宁保山", "４１０９２８ １９７５ ０６２１ ００１８"],
  ["海通乡", "生猪屠宰点", "宁庄村"],
  ["staff_typed", "id_fullwidth", "id_grouped", "polluter_person"],
  "Full-width grouped ID of a private operator.")

R("report",
  "整改措施：1.巩营乡对辖区内露天焚烧点位逐一排查，建立台账；2.在各村安装高空瞭望摄像头12个；3.对发现的焚烧行为按每起罚款200元至2000元标准处罚。",
  NULL,
  [],
  ["巩营乡", "12个", "200元", "2000元"],
  ["staff_typed", "no_pii"],
  "Amounts and counts must survive.")

R("report",
  "调查核实情况：经与来电人联系（+86 138 4937 3306，马姓），打渔陈镇李文彩村黄河滩挖沙问题属实。",
  I(name="马卫东", phone="13849373306"),
  ["+86 138 4937 3306"],
  ["打渔陈镇", "李文彩村", "黄河"],
  ["staff_typed", "intl_prefix", "lookalike_place"],
  "Bare surname mention (马姓) left unlabeled; village with person-like name kept.")

R("report",
  "调查核实情况：县生态环境局执法人员于12月7日对杨村乡养牛场现场检查，养殖场负责人魏长林（实名举报人魏长河之兄）在场。举报人身份证号码已核对（四一〇九二三一九五七〇四二一〇一九X）。",
  I(name="魏长河", id=pick("410923", "19570421", True, True)),
  ["魏长林", "魏长河", "四一〇九二三一九五七〇四二一〇一九X"],
  ["杨村乡", "养牛场", "12月7日"],
  ["staff_typed", "id_chinese", "polluter_person"],
  "Chinese-numeral ID in a report; polluter is the complainant's brother.")

R("report",
  "处理和整改情况：城关镇对振兴路南段烧烤店下达整改通知书，要求7日内安装油烟净化器。该店经营者为张晓红（女，电话15603937215）。",
  NULL,
  ["张晓红", "15603937215"],
  ["城关镇", "振兴路", "烧烤店", "7日"],
  ["staff_typed", "polluter_person"],
  "Shop operator named by personal name is private.")

R("report",
  "调查核实情况：子岸镇预制板厂名称为濮阳县某某建材有限公司，排污许可证编号" + uscc("91410928MA3XK2F4P") + "001X，已整改。",
  NULL,
  [],
  ["子岸镇", "预制板厂", "濮阳县某某建材有限公司", uscc("91410928MA3XK2F4P") + "001X"],
  ["staff_typed", "no_pii", "uscc_code"],
  "Permit number ending in X looks like an ID number but belongs to an enterprise.")

R("report",
  "经与举报人联系，其本人姓名：程志远，家住后程村7组，电话13849370256，反映前程村南养殖场直排问题。经清水河乡核查属实。",
  I(name="程志远", phone="13849370256"),
  ["程志远", "后程村7组", "13849370256"],
  ["前程村", "养殖场", "清水河乡"],
  ["staff_typed", "self_id_elsewhere"],
  "Two villages differing by one character; only the complainant's is pii.")

R("report",
  "调查核实情况：习城乡执法人员现场查看，韩岗村化工小作坊已停产，设备已拆除。按举报人要求，处理结果已发邮件至hangang_jb@163.com。",
  I(email="hangang_jb@163.com"),
  ["hangang_jb@163.com"],
  ["习城乡", "韩岗村", "化工小作坊"],
  ["staff_typed", "email"],
  "Plain e-mail in a report where the complaint used an AT/dot form.")

R("report",
  "调查核实情况：仙庄镇组织人员对天云寺村废塑料厂进行核查，该厂已于2023年12月2日停产，现场设备已断电，原料已清运。坐标：北纬35.97°，东经115.12°。",
  NULL,
  [],
  ["仙庄镇", "天云寺村", "废塑料厂", "2023年12月2日", "北纬35.97°", "东经115.12°"],
  ["staff_typed", "no_pii", "coordinates"],
  "Coordinates kept.")

R("report",
  "已联系反映人 聂 军（+86-139-3938-4410），告知梨园乡屠宰场已停业整顿。",
  I(name="聂军", phone="13939384410"),
  ["聂 军", "+86-139-3938-4410"],
  ["梨园乡", "屠宰场"],
  ["staff_typed", "name_spaced", "intl_prefix", "two_char_name"],
  "Spaced name with ASCII space in staff text.")

R("report",
  "调查核实情况：11月30日，经新习镇核实，后河村东家具厂为刘国庆个人经营，王海涛不是合伙人。现已责令停产。",
  NULL,
  ["刘国庆", "王海涛"],
  ["11月30日", "新习镇", "后河村", "家具厂"],
  ["staff_typed", "polluter_person"],
  "Two private persons discussed by name.")

R("report",
  "调查核实情况：我镇环保所所长带队对阳邵镇蛋鸡场开展检查，责令其对晾晒场进行防渗改造。已电话联系联系人阳先生（0393-7251446），其表示满意。",
  I(name="阳", phone="0393-7251446"),
  ["阳先生", "0393-7251446"],
  ["阳邵镇", "蛋鸡场"],
  ["staff_typed", "honorific", "official_by_post", "lookalike_place"],
  "Official by post (环保所所长) kept unlabeled; complainant honorific pii.")

R("report",
  "整改措施：瓦屋头镇对辖区废旧电瓶回收点开展专项整治，取缔无证回收点3家，其中冯老四（冯长庚）回收点已拆除。",
  I(name="马红霞", phone="13523952274"),
  ["冯老四", "冯长庚"],
  ["瓦屋头镇", "3家"],
  ["staff_typed", "polluter_person", "nickname"],
  "Nickname and real name of a private operator.")

# ---------------------------------------------------------------- callbacks
R("callback",
  "我是王建国，电话13803930123，还是有味，晚上十点以后照样开机，你们白天去当然看不见！不满意。",
  I(name="王建国", phone="13803930123"),
  ["王建国", "13803930123"],
  [],
  ["callback_plain"],
  "Basic dissatisfied callback with name and phone.")

R("callback",
  "不满意！！砖窑是停了，可是窑主赵满囤又在村东头另起了一个。俺是赵德顺 159 3721 8846",
  I(name="赵德顺", phone="15937218846"),
  ["赵满囤", "赵德顺", "159 3721 8846"],
  [],
  ["callback_plain", "polluter_person"],
  "Callback naming a new private polluter.")

idv = pick("410922", "19540403", False)
R("callback",
  f"满意。按要求填写身份证号：{idv}，联系电话13939322871。八里庄村鸡粪已经拉走了。",
  I(name="卞留柱", phone="13939322871"),
  [idv, "13939322871"],
  ["八里庄村"],
  ["callback_id", "identity_mismatch"],
  "Callback with an ID that is not in the recorded identity.")

idv = pick("410928", "19870117", True)
R("callback",
  f"基本满意吧，味小了点。我的身份证 {idv[:4]} {idv[4:8]} {idv[8:12]} {idv[12:16]} {idv[16:]}，回访的同志态度挺好。",
  I(name="孙秀兰", phone="13939385512", id=idv),
  [f"{idv[:4]} {idv[4:8]} {idv[8:12]} {idv[12:16]} {idv[16:]}"],
  [],
  ["callback_id", "id_grouped"],
  "ID grouped 4-4-4-4-2 with spaces.")

idv = pick("410926", "19590904", True)
idz = interleave(idv, ZWSP)
R("callback",
  f"不满意，还是冒黑烟。身份证{idz}，别再打电话问了，直接去看！",
  I(name="刘桂芝", phone="13569312084", id=idv),
  [idz],
  [],
  ["callback_id", "zwsp"],
  "ID with ZWSP after every digit.")

idv = pick("410927", "19730218", False)
R("callback",
  f"满意，谢谢督察组。张春梅，身份证号{fw(idv[:6])}{idv[6:14]}{fw(idv[14:])}。",
  I(name="张春梅", phone="13649300915", id=idv),
  ["张春梅", f"{fw(idv[:6])}{idv[6:14]}{fw(idv[14:])}"],
  [],
  ["callback_id", "id_fullwidth", "multi_trick"],
  "ID mixing full-width and half-width digit runs.")

idv = pick("410902", "19811118", False, True)
idc = cn(idv[:-1], zero='零') + 'x'
R("callback",
  f"我叫何玉芬，身份证{idc}，我不满意，饭店的油烟机是装上了，但是根本不开。",
  I(name="何玉芬", id=idv),
  ["何玉芬", idc],
  [],
  ["callback_id", "id_chinese", "id_lower_x"],
  "Chinese-numeral ID with lowercase x in a callback.")

R("callback",
  "满意，已经拆了。（回访人：周文斌 １３７８３２１８４５９）",
  I(name="周文斌", phone="13783218459"),
  ["周文斌", "１３７８３２１８４５９"],
  [],
  ["callback_plain", "fullwidth_digits"],
  "Short callback with full-width phone.")

R("callback",
  f"不满意。我是上次反映胡状镇那个的，电话{rlo('15603935578')}，那个作坊挪到杨胡状村去了，还在干。",
  I(phone="15603935578"),
  [rlo('15603935578')],
  ["胡状镇", "杨胡状村"],
  ["rlo"],
  "RLO-wrapped phone in a callback; the new source village is kept.")

R("callback",
  "满意满意，现在晚上能睡个好觉了。谢谢政府！",
  I(name="王淑珍", phone="0393-8821376"),
  [],
  [],
  ["no_pii", "callback_plain"],
  "Callback with nothing to redact.")

R("callback",
  "一般吧。我是欧阳明辉，号码变了，新号码是一八九 三九三九 〇〇七一，以后打这个。搅拌站拆了，但是地上的沥青渣还没清。",
  I(name="欧阳明辉", phone="18903931167"),
  ["欧阳明辉", "一八九 三九三九 〇〇七一"],
  [],
  ["compound_surname", "chinese_numerals", "identity_mismatch"],
  "New phone number that does not match the recorded one.")

R("callback",
  "不满意。俺姓范，范有才，俺村范二保那炼油的锅是拉走了，可是他又在他丈人家院里支上了，就在张庄镇范堂村。",
  I(name="范有才", phone="13937163318"),
  ["范有才", "范二保"],
  ["张庄镇", "范堂村"],
  ["polluter_person", "dialect", "lookalike_place"],
  "Callback pointing to a new source village (kept) and a private polluter.")

R("callback",
  "满意。联系人：王 建 国 138-0393-0123",
  I(name="王建国", phone="13803930123"),
  ["王 建 国", "138-0393-0123"],
  [],
  ["name_spaced", "name_after_role"],
  "Spaced name in a one-line callback.")

R("callback",
  "不满意，喷漆房还在用，我在厂里上班我知道。我的QQ：1475263308，微信：nl_pengqi_jb，别打电话，老板会知道。",
  NULL,
  ["1475263308", "nl_pengqi_jb"],
  [],
  ["messenger_handle", "identity_unknown"],
  "QQ and WeChat in a callback from an employee.")

R("callback",
  "满意。我是李秀英，二〇二三年十二月十日，我家住瓦屋村二组十六号，岳长海那个回收站已经关了。",
  I(name="李秀英", phone="13939327718", email="lixiuying1966@126.com"),
  ["李秀英", "瓦屋村二组十六号", "岳长海"],
  ["二〇二三年十二月十日"],
  ["flat_cn_numerals", "self_id_elsewhere", "polluter_person"],
  "Chinese-numeral house number in another village; Chinese-numeral date kept.")

R("callback",
  "不满意。14号楼2单元的，晚上还是油烟味，楼下饭店根本不开净化器。电话 135.0393.0987",
  I(phone="13503930987", addr="华龙区京东社区3号楼2单元501室"),
  ["14号楼2单元", "135.0393.0987"],
  [],
  ["flat_address", "phone_dots", "identity_mismatch"],
  "Flat in the text differs from the recorded address.")

R("callback",
  "嗯，满意，满意。俺闺女帮俺打的字，俺叫魏长河，身份证号四一〇九二三一九五七〇四二一〇一九x。",
  I(name="魏长河", id=pick("410923", "19570421", True, True)),
  ["魏长河", "四一〇九二三一九五七〇四二一〇一九x"],
  [],
  ["callback_id", "id_chinese", "id_lower_x", "dialect"],
  "Chinese-numeral ID typed by a relative.")

R("callback",
  "还行。慕容雪  15839380412  门窗厂的味儿小多了",
  I(name="慕容雪", phone="15839380412"),
  ["慕容雪", "15839380412"],
  ["门窗厂"],
  ["compound_surname", "callback_plain"],
  "Compound surname with double spaces.")

R("callback",
  f"不满意！你们就知道走形式。手机{interleave('18639312207', ZWJ)}，司马国庆。河里还是黑水。",
  I(name="司马国庆", phone="18639312207"),
  [interleave('18639312207', ZWJ), "司马国庆"],
  [],
  ["zwj", "compound_surname"],
  "ZWJ-split phone in a callback.")

R("callback",
  f"满意。王·建国 {interleave('13803930123', WJ)}",
  I(name="王建国", phone="13803930123"),
  ["王·建国", interleave('13803930123', WJ)],
  [],
  ["word_joiner", "name_spaced"],
  "Word joiner after every digit and dotted name.")

R("callback",
  "不太满意，洗车店现在倒是不往雨水管里排了，但是直接往马路上泼水。回访请找我爱人老高，电话０３９３－６６１２０４８。",
  I(name="高秀琴", phone="13503938127"),
  ["老高", "０３９３－６６１２０４８"],
  [],
  ["honorific", "landline_sep", "fullwidth_digits", "witness"],
  "Spouse referred to as 老+surname with full-width landline.")

R("callback",
  "满意，谢谢。身份证号码410927650312021。",
  I(name="吕", id="410927650312021"),
  ["410927650312021"],
  [],
  ["callback_id", "id_15"],
  "15-digit ID in a callback.")

R("callback",
  "不满意。我是前草场村刘广田，井场边上的油泥就拿土盖了盖，根本没拉走，下雨又冒出来了。电话 152 2531 2803。",
  I(phone="15225312803"),
  ["前草场村", "刘广田", "152 2531 2803"],
  ["井场"],
  ["self_id_elsewhere", "callback_plain"],
  "Village + name run together (前草场村刘广田).")

idv = pick("410928", "19460927", False)
R("callback",
  f"满意。代俺娘回复，俺娘叫蔡秀荣，身份证{idv[:6]}-{idv[6:14]}-{idv[14:]}，俺是她儿子蔡建军。",
  I(phone="15639397710"),
  ["蔡秀荣", f"{idv[:6]}-{idv[6:14]}-{idv[14:]}", "蔡建军"],
  [],
  ["callback_id", "id_grouped", "identity_unknown", "witness"],
  "ID hyphen-grouped 6-8-4; two family members named.")

R("callback",
  "不满意，处理人员说是不属实，明明就是属实！俺们全村都知道，你问问村里的老刘、老张。我的电话是１８７/６８９３/５１０２。",
  I(phone="18768935102"),
  ["老刘", "老张", "１８７/６８９３/５１０２"],
  [],
  ["honorific", "phone_slashes", "fullwidth_digits", "witness"],
  "老+surname witnesses and full-width slash phone.")

R("callback",
  "满意。现在公司门口的路也硬化了，车也洗干净才上路。",
  I(name="韩", phone="13703935521"),
  [],
  [],
  ["no_pii", "callback_plain"],
  "Callback without identity.")

R("callback",
  "部分满意。我是网上留言的“濮阳小树苗”，汽修厂喷漆房装了设备，但是晚上还有味。",
  I(handle="濮阳小树苗"),
  ["濮阳小树苗"],
  ["汽修厂"],
  ["at_handle", "callback_plain"],
  "Web username in a callback.")

R("callback",
  "满意！邮箱ma.xiaoli@qq.com，以后有问题我还会反映。",
  I(name="马晓丽", email="ma.xiaoli@qq.com"),
  ["ma.xiaoli@qq.com"],
  [],
  ["email", "callback_plain"],
  "Plain email in callback.")

R("callback",
  "不满意 电话１．３．９．３．９．３．５．２．０．１．８ 颜村铺乡那个鸭场还在排",
  I(name="张国强", phone="13939352018"),
  ["１．３．９．３．９．３．５．２．０．１．８"],
  ["颜村铺乡", "鸭场"],
  ["phone_dots", "fullwidth_digits"],
  "Full-width dots between every digit.")

R("callback",
  "满意。孟凡。（０３９３）８８１６２０４",
  I(name="孟凡", phone="0393-8816204"),
  ["孟凡", "（０３９３）８８１６２０４"],
  [],
  ["landline_sep", "two_char_name", "fullwidth_digits"],
  "Full-width bracketed landline.")

R("callback",
  "满意 / 我叫胡秀娥 / 手机:150.9393.2716 / 后胡状村那个铝厂拆了",
  I(name="胡秀娥", phone="15093932716"),
  ["胡秀娥", "150.9393.2716"],
  ["后胡状村", "铝厂"],
  ["phone_dots", "callback_plain"],
  "Slashes used as field separators around a dotted phone.")

R("callback",
  "不满意，俺是濮阳县柳屯镇文王庄村的，身份证４１０９２８１９５４０９０４０５６４，上回反映的柳屯村那个炼油的又开了。",
  NULL,
  ["文王庄村", "４１０９２８１９５４０９０４０５６４"],
  ["濮阳县", "柳屯镇", "柳屯村"],
  ["callback_id", "id_fullwidth", "self_id_elsewhere", "lookalike_place"],
  "Full-width ID; the complainant's village (文王庄村, person-like) is a residence, not the source.")

# ---------------------------------------------------------------- opinion
R("opinion",
  "#濮阳督察# @濮阳生态环境 @濮阳发布 南乐县千口镇那个翻新轮胎厂天天晚上冒黑烟，整个苗郭村都是胶皮味！我就住隔壁张庄村，孩子天天咳嗽。有没有人管？？？（博主：@千口小胖墩）",
  I(handle="千口小胖墩"),
  ["张庄村", "千口小胖墩"],
  ["#濮阳督察#", "濮阳生态环境", "濮阳发布", "南乐县", "千口镇", "翻新轮胎厂", "苗郭村"],
  ["at_handle", "self_id_elsewhere", "public_account"],
  "Weibo post: official accounts are kept, the blogger's handle and own village are pii.")

R("opinion",
  "回复@清丰老刘头：你说的那个厂我知道，就是仙庄镇天云寺村那个，老板叫齐保国，他哥是村里的。转发@濮阳生态环境 请核查。",
  NULL,
  ["清丰老刘头", "齐保国"],
  ["仙庄镇", "天云寺村", "濮阳生态环境"],
  ["at_handle", "polluter_person", "public_account"],
  "Reply thread: a private user's handle and a private owner are pii; the bureau account is kept.")

R("opinion",
  "抖音评论：华龙区岳村镇那个搅拌站的车天天往马颊河边倒泥浆，我拍了视频，抖音号py_yuecun_88，欢迎来看。——来自@岳村小李子",
  NULL,
  ["py_yuecun_88", "岳村小李子"],
  ["华龙区", "岳村镇", "搅拌站", "马颊河"],
  ["at_handle", "messenger_handle"],
  "Douyin ID and an @handle in a comment.")

R("opinion",
  "【濮阳论坛】标题：清丰县马庄桥镇砖窑厂冒黑烟谁来管？ 楼主：马庄桥的风 发表于 2023-12-02 08:15\n正文：店上村北边的砖窑厂，天天冒黑烟，附近的麦苗都黑了。有事私信我，微信mzq_feng2023。",
  NULL,
  ["马庄桥的风", "mzq_feng2023"],
  ["濮阳论坛", "清丰县", "马庄桥镇", "砖窑厂", "2023-12-02 08:15", "店上村"],
  ["at_handle", "messenger_handle", "web_post"],
  "Forum username that starts with a township name; the township elsewhere is kept.")

R("opinion",
  "微博网友@濮阳阿强哥 发帖称：台前县孙口镇黄河边有人偷偷采砂，“晚上十几辆车，轰隆隆的”。截至12月6日，该微博已被转发326次，评论89条。",
  NULL,
  ["濮阳阿强哥"],
  ["台前县", "孙口镇", "黄河", "12月6日", "326次", "89条"],
  ["at_handle", "opinion_digest"],
  "Opinion-desk digest with counts that must survive.")

R("opinion",
  "舆情摘要：12月4日，微信公众号“濮阳生活圈”发布《濮阳县文留镇一养殖场污水横流》一文，阅读量1.2万。文中引用了盛庄村村民孙秀兰的话：“一到夏天臭得没法开窗。”",
  I(name="孙秀兰", phone="13939385512"),
  ["孙秀兰"],
  ["12月4日", "濮阳生活圈", "濮阳县", "文留镇", "养殖场", "1.2万", "盛庄村"],
  ["opinion_digest", "self_id_at_source"],
  "A named villager quoted in an article summary; public media account name kept.")

R("opinion",
  "网友“南乐李大嘴”在百度贴吧南乐吧发帖：韩张镇侯耿村李二狗家的喷漆作坊又开了，督察组来了才停两天！跟帖中网友“耿村一枝花”称自家就在作坊后面，还上传了照片。",
  NULL,
  ["南乐李大嘴", "李二狗", "耿村一枝花"],
  ["南乐吧", "韩张镇", "侯耿村", "喷漆作坊"],
  ["at_handle", "polluter_person", "lookalike_place"],
  "Handles that embed place names (耿村一枝花) are pii as a whole while the place alone is kept.")

R("opinion",
  "@濮阳县人民政府 我是柳屯镇常青社区的居民，常青社区北门对过那家塑料厂，味儿太大了，孩子哮喘都犯了！@濮阳县柳屯镇人民政府 管不管？",
  NULL,
  [],
  ["濮阳县人民政府", "柳屯镇", "常青社区", "塑料厂", "濮阳县柳屯镇人民政府"],
  ["at_handle", "public_account", "self_id_at_source", "no_pii"],
  "Government @accounts and the community that is also the source are kept; nothing private.")

R("opinion",
  "快手用户“fx小辣椒(ID:fx_xiaolajiao)”发布视频，显示范县王楼镇一处院落内正在焚烧废旧轮胎，浓烟滚滚。视频中可听到拍摄者说“这是俺邻居宋海林家”。",
  NULL,
  ["fx小辣椒", "fx_xiaolajiao", "宋海林"],
  ["范县", "王楼镇", "废旧轮胎"],
  ["at_handle", "polluter_person", "lookalike_place"],
  "Kuaishou username containing the county name; the county must still survive elsewhere.")

R("opinion",
  "舆情专报（第12期）：12月5日至7日，监测到涉我市督察相关网络舆情23条，其中负面舆情6条，主要涉及南乐县、清丰县养殖场异味问题，已转交属地核查。",
  NULL,
  [],
  ["第12期", "12月5日至7日", "23条", "6条", "南乐县", "清丰县", "养殖场"],
  ["opinion_digest", "no_pii"],
  "Opinion bulletin with numbers only.")

R("opinion",
  "网友@濮上小陈 在“今日头条”评论：开发区濮上街道那个商砼站就是个钉子户，车牌豫J·8K626的罐车天天往路上撒泥。有人认识老板陈海军吗？电话是不是138 3935 7720？",
  NULL,
  ["濮上小陈", "陈海军", "138 3935 7720"],
  ["开发区", "濮上街道", "商砼站", "豫J·8K626", "今日头条"],
  ["at_handle", "polluter_person", "license_plate"],
  "Enterprise plate kept; private owner's name and phone pii.")

R("opinion",
  "朋友圈截图内容（发布者：台前吴坝-老马 18639375519）：金堤河又被洗沙的搞浑了，吴坝镇的干部眼瞎了吗？",
  NULL,
  ["台前吴坝-老马", "18639375519"],
  ["金堤河", "吴坝镇"],
  ["at_handle", "honorific"],
  "WeChat Moments nickname containing place names and 老马.")

R("opinion",
  "小红书笔记@濮阳周末去哪儿：“今天去马颊河湿地公园，结果一股臭味，问了附近大爷说是上游岳村镇的养殖场排的。”作者主页简介：坐标濮阳｜vx:pyzmqne",
  NULL,
  ["濮阳周末去哪儿", "pyzmqne"],
  ["马颊河湿地公园", "岳村镇", "养殖场"],
  ["at_handle", "messenger_handle"],
  "Xiaohongshu handle and vx in a profile blurb.")

R("opinion",
  "微博热评：“@南乐城关王 说得对，我也是城关镇的，住北街村，西街村那个做包装的厂子天天熏人。” ——@南乐小馒头 （点赞1024）",
  NULL,
  ["南乐城关王", "北街村", "南乐小馒头"],
  ["城关镇", "西街村", "1024"],
  ["at_handle", "self_id_elsewhere"],
  "Commenter's own village is pii; the factory's village in the same township is kept.")

R("opinion",
  "舆情处置情况：针对网民“濮阳老百姓说事”在人民网领导留言板反映华龙区孟轲乡混凝土搅拌站扬尘问题（留言编号：LY20231203-0587），孟轲乡已于12月5日回复并公开。",
  NULL,
  ["濮阳老百姓说事"],
  ["人民网领导留言板", "华龙区", "孟轲乡", "混凝土搅拌站", "LY20231203-0587", "12月5日"],
  ["at_handle", "opinion_digest"],
  "Message-board user name pii; message ID kept.")

R("opinion",
  "网友爆料：清丰县韩村镇木材加工厂是孙红军开的，孙红军的电话是０３９３—７５１２３６８，大家都打电话问问他啥时候停！",
  NULL,
  ["孙红军", "０３９３—７５１２３６８"],
  ["清丰县", "韩村镇", "木材加工厂"],
  ["polluter_person", "landline_sep", "fullwidth_digits"],
  "Doxxing-style post with full-width landline and em dash.")

R("opinion",
  "B站弹幕：“这不是俺们范县陈庄镇吗”“造纸厂还在排啊”“UP主是不是陈庄的刘哥”“@金堤河畔小刘 出来走两步”",
  NULL,
  ["刘哥", "金堤河畔小刘"],
  ["范县", "陈庄镇", "造纸厂"],
  ["at_handle", "honorific"],
  "Bullet comments with surname+哥 and a handle containing a river name.")

R("opinion",
  "舆情线索：12月6日，网民在濮阳县政府门户网站“县长信箱”留言，署名“习城乡韩岗村村民 郝大勇”，邮箱haodayong@sina.com，反映韩岗村化工作坊问题。",
  I(name="郝大勇", email="haodayong@sina.com"),
  ["郝大勇", "haodayong@sina.com"],
  ["12月6日", "濮阳县政府门户网站", "县长信箱", "习城乡", "韩岗村"],
  ["name_after_role", "email", "self_id_at_source"],
  "Signature in a web-letter summary; the village is also the source so it is kept.")

R("opinion",
  "视频号@濮阳随手拍 发布视频：南乐县谷金楼镇废塑料颗粒厂夜间生产。评论区：@谷金楼张三哥：“就是俺庄的，老板姓谷叫谷大成”。",
  NULL,
  ["谷金楼张三哥", "谷大成"],
  ["濮阳随手拍", "南乐县", "谷金楼镇", "废塑料颗粒厂"],
  ["at_handle", "polluter_person", "lookalike_place", "public_account"],
  "Public video account kept vs private commenter handle; polluter surname equals township's first character.")

R("opinion",
  "贴吧帖子：台前吧 › 楼主：夹河乡吕强 ›“黄河大堤下的砂场扬尘谁管？我电话13839322205，欢迎记者联系。”",
  I(name="吕强", phone="13839322205"),
  ["夹河乡吕强", "13839322205"],
  ["台前吧", "黄河大堤", "砂场"],
  ["at_handle", "two_char_name"],
  "Username combining a township and a real name.")

# ---------------------------------------------------------------- accountability
R("accountability",
  "问责情况说明：经查，柳屯镇对群众4次举报的肖楼村塑料颗粒加工厂问题未认真核查，存在敷衍整改问题。经县纪委监委研究，给予柳屯镇分管副镇长诫勉谈话，给予肖楼村党支部书记党内警告处分。举报人王建国（138 0393 0123）对问责结果表示认可。",
  I(name="王建国", phone="13803930123"),
  ["王建国", "138 0393 0123"],
  ["柳屯镇", "肖楼村", "塑料颗粒加工厂", "县纪委监委", "4次"],
  ["accountability_note", "official_by_post"],
  "Accountability note: officials by post stay, the complainant goes.")

R("accountability",
  "容错免责建议：马庄桥镇在店上村砖窑厂整治中，因窑主赵满囤拒不配合、强行复产，镇环保所所长依法组织断电拆除，程序规范，虽未在规定时限内完成，符合《濮阳市生态环境保护容错纠错实施办法》第六条情形，建议予以容错。",
  NULL,
  ["赵满囤"],
  ["马庄桥镇", "店上村", "砖窑厂", "《濮阳市生态环境保护容错纠错实施办法》", "第六条"],
  ["accountability_note", "polluter_person", "official_by_post"],
  "Tolerance (容错) record: private kiln owner pii; regulation title and article kept.")

R("accountability",
  "线索核查：韩张镇工作人员在现场核查时向被举报人李二狗透露了举报人电话（186 3930 7751），导致举报人遭受言语威胁。经研究，给予该工作人员政务记过处分，并向举报人当面致歉。",
  I(phone="18639307751"),
  ["李二狗", "186 3930 7751"],
  ["韩张镇"],
  ["accountability_note", "polluter_person"],
  "Note about a leak of the complainant's number; the number itself must still be removed.")

R("accountability",
  "问责决定：对范县王楼镇党委副书记、镇长给予通报批评；对王楼镇七里堂村党支部书记给予诫勉谈话。问题线索来源：第3批交办件第21号（来电人刘桂芝）。",
  I(name="刘桂芝", phone="13569312084"),
  ["刘桂芝"],
  ["范县", "王楼镇", "七里堂村", "第3批", "第21号"],
  ["accountability_note", "official_by_post"],
  "Batch and case numbers kept.")

R("accountability",
  "2023年12月8日，濮阳县纪委监委对文留镇在盛庄村养殖场问题中虚假整改一事启动问责程序。经查，文留镇于12月3日上报“已整改到位”，但12月6日督察组暗访发现仍在直排。",
  NULL,
  [],
  ["2023年12月8日", "濮阳县纪委监委", "文留镇", "盛庄村", "养殖场", "12月3日", "12月6日"],
  ["accountability_note", "no_pii"],
  "No private identity in a procedural accountability note.")

R("accountability",
  "情况说明：举报人周文斌反映，河里赵村废品收购点经营者赵永刚系仙庄镇某干部的表弟，镇村两级存在包庇行为。经调查，二人无亲属关系，反映问题不属实，不予追责。",
  I(name="周文斌", phone="13783218459"),
  ["周文斌", "赵永刚"],
  ["河里赵村", "废品收购点", "仙庄镇"],
  ["accountability_note", "polluter_person", "lookalike_place"],
  "Investigation of alleged collusion names two private persons.")

R("accountability",
  "督察问责统计：截至12月10日，全市共问责党员干部47人，其中县处级2人、乡科级19人、其他26人；诫勉谈话15人，党纪政务处分32人。",
  NULL,
  [],
  ["12月10日", "47人", "2人", "19人", "26人", "15人", "32人"],
  ["accountability_note", "no_pii"],
  "Statistics only.")

R("accountability",
  "容错纠错审批表（编号：RC-2023-014）：当事单位：濮阳县户部寨镇人民政府。事由：某某金属制品有限公司酸洗废水问题整改超期。实名举报人：王成林，身份证：410928 19700313 069x。意见：因企业整改涉及设备采购周期，符合容错条件。",
  I(name="王成林", phone="13613936024", id=pick("410928", "19700313", True, True)),
  ["王成林", "410928 19700313 069x"],
  ["RC-2023-014", "濮阳县户部寨镇人民政府", "某某金属制品有限公司"],
  ["accountability_note", "id_grouped", "id_lower_x", "name_after_role"],
  "ID grouped 6-8-4 with lowercase x in a tolerance form.")

R("accountability",
  "问责建议：清丰县柳格镇在八里庄村蛋鸡养殖场问题处理中，未向反映人卞留柱（电话：一三九三九三二二八七一）反馈处理结果，被督察组通报。建议对镇分管负责同志进行提醒谈话。",
  I(name="卞留柱", phone="13939322871"),
  ["卞留柱", "一三九三九三二二八七一"],
  ["清丰县", "柳格镇", "八里庄村", "蛋鸡养殖场"],
  ["accountability_note", "chinese_numerals", "official_by_post"],
  "Chinese-numeral phone in an accountability suggestion.")

R("accountability",
  "问责情况：华龙区中原路街道在京东社区餐饮油烟问题处置中，工作人员将来电人住址（京东社区叁号楼贰单元伍零壹室）告知被投诉饭店老板，造成来电人被上门质问。给予该工作人员警告处分。",
  I(phone="13503930987", addr="华龙区京东社区3号楼2单元501室"),
  ["叁号楼贰单元伍零壹室"],
  ["华龙区", "中原路街道", "京东社区", "饭店"],
  ["accountability_note", "flat_cn_numerals", "financial_numerals"],
  "Flat written in financial (大写) numerals 叁/贰/伍.")

R("accountability",
  "关于对孙口镇相关人员容错免责的说明：桥北张村散煤销售点负责人张守义在督察期间多次转移煤堆，镇村干部连续12天盯守，最终完成取缔。举报人张春梅对处理结果满意。建议予以容错免责。",
  I(name="张春梅", phone="13649300915"),
  ["张守义", "张春梅"],
  ["孙口镇", "桥北张村", "散煤销售点", "12天"],
  ["accountability_note", "polluter_person", "lookalike_place"],
  "Private operator and complainant share a surname with the village; village kept.")

R("accountability",
  "问责线索移交单：线索来源：群众来信（落款：欧阳明辉，电话①⑧⑨⓪③⑨③①①⑥⑦）。反映问题：庆祖镇沥青搅拌站长期无证生产，镇环保所疑似收受好处。移交单位：县纪委监委第二监督检查室。",
  I(name="欧阳明辉", phone="18903931167"),
  ["欧阳明辉", "①⑧⑨⓪③⑨③①①⑥⑦"],
  ["庆祖镇", "沥青搅拌站", "县纪委监委第二监督检查室"],
  ["accountability_note", "circled_digits", "compound_surname", "name_after_role"],
  "Circled-digit phone in a case transfer form.")

R("accountability",
  "容错情况：南乐县千口镇在苗郭村废旧塑料加工厂整治中，因该厂法人苗　建　设（身份证41092319870119102X，女）在外地，无法及时送达法律文书，导致整改延期5天，经认定符合容错情形。",
  NULL,
  ["苗　建　设", "41092319870119102X"],
  ["南乐县", "千口镇", "苗郭村", "废旧塑料加工厂", "5天"],
  ["accountability_note", "name_spaced", "polluter_person"],
  "Legal representative of a small factory (a private person) with a spaced name and an ID.")

R("accountability",
  "问责通报：经查，台前县打渔陈镇党委、政府对李文彩村黄河滩非法采砂问题长期失察，对镇党委书记予以约谈，对镇分管副镇长给予党内警告处分。",
  NULL,
  [],
  ["台前县", "打渔陈镇", "李文彩村", "黄河滩"],
  ["accountability_note", "no_pii", "lookalike_place", "official_by_post"],
  "Officials only by post; a person-like village must survive.")

R("accountability",
  "情况说明：举报人司马国庆（微信：simaguoqing1966，手机１８６３９３１２２０７）反映梁庄镇有干部给废纸再生厂通风报信。经县纪委监委核查，梁庄镇综治办一名工作人员确有违规泄露检查信息行为，已给予政务警告处分。",
  I(name="司马国庆", phone="18639312207"),
  ["司马国庆", "simaguoqing1966", "１８６３９３１２２０７"],
  ["梁庄镇", "废纸再生厂", "县纪委监委", "梁庄镇综治办"],
  ["accountability_note", "compound_surname", "messenger_handle", "fullwidth_digits"],
  "WeChat handle in an accountability note.")

R("accountability",
  "问责处理意见：范县张庄镇对范自富村炼油点“一停了之、不顾不问”，未按要求拆除设备，致使范二保再次复产。给予张庄镇分管负责人诫勉谈话。",
  I(name="范有才", phone="13937163318"),
  ["范二保"],
  ["范县", "张庄镇", "范自富村", "炼油点", "一停了之、不顾不问"],
  ["accountability_note", "polluter_person", "lookalike_place"],
  "Quoted policy phrase kept; polluter pii.")

R("accountability",
  "容错认定：开发区王助镇在西李庄村铸造厂整治中，因企业负责人陈某（陈国良，手机13903938856）提出行政复议，整改期限顺延15日，符合容错条件。来电人陈先生（一八二三七九一六六〇三）已知悉。",
  I(name="陈", phone="18237916603"),
  ["陈某", "陈国良", "13903938856", "陈先生", "一八二三七九一六六〇三"],
  ["开发区", "王助镇", "西李庄村", "铸造厂", "15日"],
  ["accountability_note", "polluter_person", "honorific", "chinese_numerals", "multi_trick"],
  "Polluter and complainant share a surname; both their numbers in different scripts.")

R("accountability",
  "问责情况：清丰县韩村镇对木材加工厂问题核查不实，上报“已停产”，后被群众（邮箱：hancun_jb AT qq DOT com）举报仍在生产。给予韩村镇环保所负责人诫勉谈话。",
  NULL,
  ["hancun_jb AT qq DOT com"],
  ["清丰县", "韩村镇", "木材加工厂"],
  ["accountability_note", "email_cn_style", "official_by_post"],
  "Upper-case AT/DOT e-mail in an accountability note.")

R("accountability",
  "问责情况：经查，华龙区孟轲乡在东城花园社区路边烧烤油烟问题处置中，回访时将举报人孟凡的座机号码（0393）8816204念给了被投诉摊主，违反保密规定，已对相关人员批评教育。",
  I(name="孟凡", phone="0393-8816204"),
  ["孟凡", "（0393）8816204"],
  ["华龙区", "孟轲乡", "东城花园社区", "路边烧烤"],
  ["accountability_note", "landline_sep", "two_char_name", "lookalike_place"],
  "Landline with full-width brackets inside a note.")

R("accountability",
  "督察组移交问题清单（第2批）：1.南乐县城关镇西街村包装厂异味问题；2.清丰县仙庄镇天云寺村废塑料厂问题；3.范县陈庄镇小造纸厂偷排问题。请于2023年12月20日前报送问责情况。联系人：市攻坚办督察科，电话0393-8999212。",
  NULL,
  [],
  ["第2批", "南乐县", "城关镇", "西街村", "包装厂", "清丰县", "仙庄镇", "天云寺村", "废塑料厂", "范县", "陈庄镇", "小造纸厂", "2023年12月20日", "0393-8999212", "市攻坚办督察科"],
  ["accountability_note", "no_pii", "public_hotline"],
  "An office's public phone after 联系人 must be kept.")

R("accountability",
  "问责情况：濮阳县八公桥镇在张老三（张新民）燃煤锅炉问题中，镇干部事前知情不报。来电人（电话１８７ ６８９３ ５１０２）反映后，镇纪委调查属实。",
  I(phone="18768935102"),
  ["张老三", "张新民", "１８７ ６８９３ ５１０２"],
  ["濮阳县", "八公桥镇"],
  ["accountability_note", "polluter_person", "fullwidth_digits", "nickname"],
  "Nickname and full-width phone in a note.")

# ---------------------------------------------------------------- second pass: more hostile forms
p = "13783961245"
R("report",
  f"经与反映人王红旗（手机{interleave(p, ZWJ)}）电话核实，渠村乡青庄村面粉加工厂已调整生产时间，夜间22时后停产。",
  I(name="王红旗", phone=p),
  ["王红旗", interleave(p, ZWJ)],
  ["渠村乡", "青庄村", "面粉加工厂", "22时"],
  ["staff_typed", "zwj"],
  "ZWJ after every digit inside a staff-typed report.")

p = "13939385512"
s = p[:3] + ZWSP + SHY + p[3:7] + SHY + ZWSP + p[7:]
R("callback",
  f"还是臭！！！沟里的粪水根本没清，{s}，孙秀兰",
  I(name="孙秀兰", phone=p),
  [s, "孙秀兰"],
  [],
  ["zwsp", "soft_hyphen", "multi_trick"],
  "Phone with doubled invisible separators (ZWSP + soft hyphen).")

p = "15937218846"
s = "1" + WJ + "5" + WJ + "9" + " " + "3" + WJ + "7" + WJ + "2" + WJ + "1" + " " + "8" + WJ + "8" + WJ + "4" + WJ + "6"
R("opinion",
  f"@濮阳生态环境 @清丰发布 马庄桥镇店上村砖窑厂又点火了！！！我是举报人，之前打过电话{s}，到现在没人理。",
  I(phone=p),
  [s],
  ["濮阳生态环境", "清丰发布", "马庄桥镇", "店上村", "砖窑厂"],
  ["word_joiner", "at_handle", "public_account", "phone_spaced"],
  "Word joiners plus spaces inside a phone in a Weibo post; government accounts kept.")

p = "18503931276"
R("opinion",
  f"【网帖】南乐县福堪镇一家木炭厂天天冒烟，谁能管管？发帖人留言：有事打我电话{rlo(p)}（倒着看不是乱码）。",
  NULL,
  [rlo(p)],
  ["南乐县", "福堪镇", "木炭厂"],
  ["rlo", "web_post", "identity_unknown"],
  "RLO-wrapped phone in a forum post.")

idv = idn("410922", "19680709", "042")
R("callback",
  f"满意。身份证：{rlo(idv)}",
  I(name="董玉梅", id=idv),
  [rlo(idv)],
  [],
  ["rlo", "callback_id"],
  "ID number reversed inside a right-to-left override.")

p = "13839386091"
s = p[:3] + WJ + p[3:7] + WJ + p[7:]
R("report",
  "调查核实情况：纸房乡对纸箱厂（清丰县某某包装有限公司，统一社会信用代码" + uscc("91410922MA46D2Q81") + "）进行检查，燃煤锅炉已拆除。已向实名举报人董玉梅（" + s + "）反馈。",
  I(name="董玉梅", phone=p),
  [s, "董玉梅"],
  ["纸房乡", "纸箱厂", "清丰县某某包装有限公司", uscc("91410922MA46D2Q81"), "燃煤锅炉"],
  ["staff_typed", "word_joiner", "uscc_code"],
  "Enterprise credit code kept next to a word-joiner phone.")

R("complaint",
  "网友在濮阳网“民声”栏目留言：开发区胡村乡一家钢构厂露天喷漆，离居民区不到200米。留言人电话：1 3 5 0 3 9 3 2 8 6 4，留言时间2023年12月3日。",
  I(phone="13503932864"),
  ["1 3 5 0 3 9 3 2 8 6 4"],
  ["濮阳网", "开发区", "胡村乡", "钢构厂", "200米", "2023年12月3日"],
  ["phone_spaced", "web_post"],
  "Spaced phone in a web message with a date to keep.")

R("callback",
  "不满意，电话壹伍玖 叁柒贰壹 捌捌肆陆，村里还是黑烟。",
  I(name="赵德顺", phone="15937218846"),
  ["壹伍玖 叁柒贰壹 捌捌肆陆"],
  [],
  ["financial_numerals", "chinese_numerals"],
  "Phone in financial (大写) numerals.")

R("accountability",
  "问责情况：清丰县固城镇在家具厂喷漆问题中未及时反馈，联系人陈晓燕（电话：壹叁玖叁玖叁贰零伍壹陆）多次投诉。已对镇环保所负责人批评教育。",
  I(name="陈晓燕", phone="13939320516"),
  ["陈晓燕", "壹叁玖叁玖叁贰零伍壹陆"],
  ["清丰县", "固城镇", "家具厂"],
  ["accountability_note", "financial_numerals", "official_by_post"],
  "Financial numerals phone in an accountability note.")

idv = "410928196208152038"
R("report",
  f"调查核实情况：经核对，实名举报人李卫国身份证号码为肆壹零玖贰捌壹玖陆贰零捌壹伍{cn(idv[14:], zero='零').translate(str.maketrans('一二三四五六七八九', '壹贰叁肆伍陆柒捌玖'))}，与来电登记一致。八公桥镇石灰窑已取缔。",
  I(name="李卫国", phone="13939378821", id=idv),
  ["李卫国", "肆壹零玖贰捌壹玖陆贰零捌壹伍" + cn(idv[14:], zero='零').translate(str.maketrans('一二三四五六七八九', '壹贰叁肆伍陆柒捌玖'))],
  ["八公桥镇", "石灰窑"],
  ["staff_typed", "financial_numerals", "id_chinese"],
  "Whole ID number written in financial numerals.")

R("complaint",
  "反映濮阳县白堽乡一家油脂厂夜间排放异味。我家座机零叁玖叁—陆贰捌叁壹柒伍，手机不方便。",
  I(phone="0393-6283175"),
  ["零叁玖叁—陆贰捌叁壹柒伍"],
  ["濮阳县", "白堽乡", "油脂厂"],
  ["financial_numerals", "landline_sep"],
  "Landline in financial numerals with an em dash.")

R("opinion",
  "舆情日报（12月8日）：1.网民发帖反映开发区新习镇苏拐村废品站焚烧问题，点位坐标北纬35.71°、东经115.08°，已转新习镇核查；2.涉事企业濮阳市某某再生资源有限公司（" + uscc("91410900MA9GT3K7X") + "）已停产。",
  NULL,
  [],
  ["12月8日", "开发区", "新习镇", "苏拐村", "废品站", "北纬35.71°", "东经115.08°", "濮阳市某某再生资源有限公司", uscc("91410900MA9GT3K7X")],
  ["opinion_digest", "coordinates", "uscc_code", "no_pii"],
  "Digest with coordinates and a credit code; nothing private.")

R("report",
  "处理和整改情况：对范县陈庄镇小造纸厂（" + uscc("91410926MA45R8L3B") + "）实施查封，查封设备清单编号FX-CF-2023-112，现场经纬度115.4921, 35.8836。罚款12.6万元。",
  NULL,
  [],
  ["范县", "陈庄镇", "小造纸厂", uscc("91410926MA45R8L3B"), "FX-CF-2023-112", "115.4921, 35.8836", "12.6万元"],
  ["staff_typed", "coordinates", "uscc_code", "no_pii"],
  "Decimal coordinates, seizure number and credit code all kept.")

R("accountability",
  "问责线索：12月7日夜间，督察组在台前县吴坝镇金堤河段（北纬35.95°，东经115.87°）发现洗沙船作业，现场运砂车豫J·9Q131属台前县某某砂石有限公司。吴坝镇未按要求开展夜查，建议对分管负责同志诫勉谈话。",
  NULL,
  [],
  ["12月7日", "台前县", "吴坝镇", "金堤河", "北纬35.95°", "东经115.87°", "豫J·9Q131", "台前县某某砂石有限公司"],
  ["accountability_note", "coordinates", "license_plate", "no_pii", "official_by_post"],
  "Coordinates and an enterprise plate in a note without private persons.")

R("complaint",
  "举报清丰县古城乡一家废塑料厂。举报人身份证410922680905123（老身份证），邮箱 liu_gucheng#163.com（#换成@）。",
  I(id="410922680905123", email="liu_gucheng@163.com"),
  ["410922680905123", "liu_gucheng#163.com"],
  ["清丰县", "古城乡", "废塑料厂"],
  ["id_15", "email_cn_style"],
  "15-digit ID and an e-mail with # standing in for @.")

R("callback",
  "满意。身份证号：４１０９２３７１０２１５０３４",
  I(id="410923710215034"),
  ["４１０９２３７１０２１５０３４"],
  [],
  ["id_15", "fullwidth_digits", "callback_id"],
  "Full-width 15-digit ID in a one-line callback.")

R("report",
  "调查核实情况：经核查，台前县马楼镇木器厂夜间喷漆属实。证人马桂香（身份证410927581104062，电话1 5 9 3 9 3 7 0 4 1 6）证实该厂每晚9点后开工。",
  NULL,
  ["马桂香", "410927581104062", "1 5 9 3 9 3 7 0 4 1 6"],
  ["台前县", "马楼镇", "木器厂"],
  ["staff_typed", "id_15", "witness", "phone_spaced"],
  "A witness with 15-digit ID and spaced phone.")

p = "15839380412"
s = "一五八" + SHY + "3938" + SHY + "〇四一二"
R("complaint",
  f"南乐县城关镇门窗厂那个老板外号叫刀疤李，喷塑车间天天晚上开。我的电话{s}，不要告诉他是我说的。",
  I(phone=p),
  ["刀疤李", s],
  ["南乐县", "城关镇", "门窗厂"],
  ["nickname", "polluter_person", "soft_hyphen", "cn_arabic_mixed"],
  "Nickname of the polluter and a Chinese/Arabic mixed phone with soft hyphens.")

R("opinion",
  "@濮阳发布 范县王楼镇东李村的刘老歪家又开始烧轮胎了，俺邻居张二婶都被熏进医院了，谁管管？ #濮阳县督察# @范县融媒",
  NULL,
  ["刘老歪", "张二婶"],
  ["濮阳发布", "范县", "王楼镇", "东李村", "#濮阳县督察#", "范县融媒"],
  ["at_handle", "public_account", "nickname", "witness", "polluter_person"],
  "Nickname of polluter and a neighbour kinship term; government and media accounts kept.")

R("complaint",
  "我打了好几次12345都没用！台前县城关镇一家汽修厂天天露天喷漆。电话139/3937/1024，姓马。",
  I(phone="13939371024"),
  ["139/3937/1024"],
  ["12345", "台前县", "城关镇", "汽修厂"],
  ["phone_slashes", "public_hotline"],
  "Public hotline kept next to a private slash-grouped phone.")

p = "18539352219"
R("complaint",
  f"网友留言：12369的工作人员说让在网上留言，那我就留言：濮阳县鲁河镇皮革作坊又开工了。联系方式{interleave(p, ZWJ)}。",
  I(phone=p),
  [interleave(p, ZWJ)],
  ["12369", "濮阳县", "鲁河镇", "皮革作坊"],
  ["zwj", "public_hotline", "web_post"],
  "ZWJ-split phone beside the public 12369 hotline.")

p = "13503921768"
s = p[:4] + ZWJ + "/" + p[4:8] + "/" + ZWJ + p[8:]
R("callback",
  f"不满意 郭凤兰 {s} 豆腐皮作坊的水还是往我家门口排",
  I(name="郭凤兰", phone=p),
  ["郭凤兰", s],
  ["豆腐皮作坊"],
  ["zwj", "phone_slashes", "multi_trick"],
  "Slashes combined with ZWJ inside a phone.")

R("callback",
  f"我是王{ZWSP}建{ZWSP}国，还是那个问题，肖楼村塑料厂晚上照开。",
  I(name="王建国", phone="13803930123"),
  [f"王{ZWSP}建{ZWSP}国"],
  ["肖楼村", "塑料厂"],
  ["zwsp", "name_spaced"],
  "Name split by zero-width spaces.")

R("report",
  f"已将处理结果发送至举报人邮箱guo{ZWSP}baohua1972@163{ZWSP}.com（举报人郭{ZWSP}保华）。",
  I(name="郭保华", email="guobaohua1972@163.com"),
  [f"guo{ZWSP}baohua1972@163{ZWSP}.com", f"郭{ZWSP}保华"],
  [],
  ["staff_typed", "zwsp", "email", "name_spaced"],
  "Zero-width spaces inside an e-mail and a name.")

R("complaint",
  "范县濮城镇南关村有个养猪场，猪粪水直接排进村东的排水沟，流向金堤河。周边几个村都受影响，希望督察组现场看看。",
  NULL,
  [],
  ["范县", "濮城镇", "南关村", "养猪场", "金堤河"],
  ["no_pii"],
  "Plain anonymous complaint.")

# ---------------------------------------------------------------- post-processing
import re as _re
for _r in RECS:
    if _re.search(r"(?<!百)姓(?!名)[\u4e00-\u9fff]|[\u4e00-\u9fff](?<!百)姓[，）]", _r["text"]) and "bare_surname" not in _r["families"]:
        _r["families"].append("bare_surname")
