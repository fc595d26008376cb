"""Fixtures of the layout tests: a rich template context, rendered with docxtpl, and its expected text."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "annual-summary.docx"

# A fictional township. Paragraph lengths vary as real drafts do; some paragraphs are plain Chinese
# (their wrapped lines show the 28-character measure), others carry digits, percentages and dates.
_REVIEW = [
    ("坚持农业稳产增效，推动产业结构优化", [
        "今年以来，全镇紧紧围绕农业增效、农民增收这一中心任务，积极调整优化种植结构，稳定粮食生产，"
        "扩大经济作物种植面积。全镇粮食播种面积稳定在5.6万亩，总产量达到2.3万吨，比上年增长3.1%。"
        "蔬菜种植面积达到8600亩，其中设施蔬菜2100亩，亩均效益超过1.2万元。",
        "我们坚持把科技兴农摆在突出位置，依托镇农业综合服务中心和各村科技示范户，大力推广优良品种和"
        "先进适用技术，组织农业技术人员深入田间地头开展指导服务，帮助农民解决生产中遇到的实际困难，"
        "农业生产的科技含量和组织化程度明显提高，农民群众发展现代农业的积极性持续高涨。",
        "围绕节水增效，新建高效节水灌溉工程4处，改造中低产田1850亩，新打机井12眼，清淤疏浚沟渠"
        "36公里，农田灌溉保证率提高到92%以上。",
    ]),
    ("培育壮大特色产业，拓宽农民增收渠道", [
        "立足资源优势，大力发展特色种植和规模养殖。全镇果树面积达到3400亩，建成标准化葡萄示范园2个，"
        "注册“清河玫瑰香”商标，葡萄收购价格比上年提高12%。生猪存栏2.1万头，出栏3.2万头；奶牛存栏"
        "2100头，比上年增长31.3%；肉鸡出栏20万只。",
        "大力发展农民专业合作组织，引导农民以土地、资金、技术等要素入股合作社，积极探索订单生产、"
        "统一销售、利润返还等利益联结方式，让农民更多分享产业发展带来的增值收益，全镇新发展农民专业"
        "合作社九家，带动周边农户走上了共同富裕的道路，合作社带动作用不断增强。",
    ]),
    ("加快基础设施建设，持续改善人居环境", [
        "以美丽乡村建设为载体，完成村内道路硬化4.8万平方米，新建排水沟渠3200米，安装太阳能路灯"
        "420盏；投入资金186.5万元，栽植各类苗木2.6万株，成活率达到95%。",
        "深入开展农村人居环境整治行动，坚持集中整治与长效管护相结合，建立健全村庄保洁制度，配齐配强"
        "保洁队伍，全面清理村内积存垃圾、残垣断壁和乱堆乱放，群众的环境卫生意识明显增强，村容村貌"
        "焕然一新，涌现出一批干净整洁、生态宜居的美丽村庄，群众的获得感和幸福感不断提升。",
        "推进生活垃圾分类处理，全镇配备分类垃圾桶1600个，生活垃圾无害化处理率达到100%。",
    ]),
    ("加强基层组织建设，提升乡村治理水平", [
        "坚持党建引领，选优配强村级班子，深入开展党员教育培训，全年举办各类培训班16期，培训党员干部"
        "1200人次；发展党员21名，调整充实村级后备干部38名。",
        "健全完善村民自治机制，全面推行村级事务民主决策、民主管理和民主监督，坚持和发展新时代枫桥"
        "经验，扎实开展矛盾纠纷排查化解工作，及时把各类矛盾化解在基层、消除在萌芽状态，全镇社会大局"
        "保持和谐稳定，人民群众安居乐业，党群干群关系更加密切。",
    ]),
    ("统筹发展社会事业，不断增进民生福祉", [
        "坚持以人民为中心的发展思想，把有限的财力更多地用于保障和改善民生。全镇两所中心小学完成校舍"
        "改造，新建塑胶运动场一个，义务教育阶段适龄儿童入学率保持在百分之百，教育教学质量稳步提升，"
        "群众对教育工作的满意度不断提高。镇卫生院新增医疗设备十余台件，各村卫生室全部达到标准化要求，"
        "家庭医生签约服务覆盖所有重点人群，群众看病就医更加方便快捷。",
        "扎实做好社会保障工作，城乡居民基本养老保险参保人数达到1.86万人，城乡居民基本医疗保险参保率"
        "达到96.8%；发放各类救助资金386万元，惠及困难群众1420人次。新建农村幸福院2所，为560名"
        "80周岁以上老人发放高龄津贴。",
        "大力繁荣农村文化事业，依托新时代文明实践所和各村文明实践站，广泛开展理论宣讲、文艺演出、"
        "移风易俗、志愿服务等群众喜闻乐见的活动，评选表彰好媳妇、好婆婆、文明家庭等先进典型，"
        "用身边事教育身边人，崇德向善、见贤思齐的社会风尚日益浓厚，乡风文明程度明显提升。",
    ]),
    ("守牢安全发展底线，维护社会和谐稳定", [
        "认真落实安全生产责任制，坚持党政同责、一岗双责、齐抓共管、失职追责，深入开展安全生产大排查"
        "大整治行动，重点加强对道路交通、消防、燃气、危险化学品和建筑施工等领域的隐患排查治理，"
        "做到发现一处、整改一处、销号一处，全年未发生较大以上安全生产事故，安全生产形势持续平稳。",
        "全年共排查整治各类安全隐患286处，整改率达到100%；开展应急演练14次，参与群众3200余人次。"
        "完善防汛抗旱应急预案，储备防汛物资，汛期安排专人值守，确保安全度汛。",
        "深化平安建设，健全镇村两级综治中心，推行网格化服务管理，全镇划分网格四十八个，配备专兼职"
        "网格员一百余名，做到人在网中走、事在网中办，各类矛盾纠纷和风险隐患发现在早、处置在小，"
        "群众的安全感和满意度持续提升，为全镇经济社会发展营造了安全稳定的良好环境。",
    ]),
]

_OUTLOOK = [
    ("巩固农业基础地位，推进农业现代化", [
        "稳定粮食播种面积，扩大设施农业规模，力争全镇农业总产值增长6%以上。加快高标准农田建设，"
        "新建高效节水灌溉工程3处，提高农业综合生产能力和抗风险能力。",
        "大力培育新型农业经营主体，积极引进和扶持农产品加工龙头企业，延长产业链条，提升农产品附加值，"
        "推动一二三产业融合发展，让更多农民在产业发展中增加收入。",
    ]),
    ("持续改善民生，促进社会事业全面发展", [
        "继续实施美丽乡村建设工程，完成三个村的创建任务，健全农村人居环境长效管护机制，巩固拓展脱贫"
        "攻坚成果，扎实办好教育、医疗、养老等民生实事，不断增强群众的获得感、幸福感和安全感。",
    ]),
    ("加强党的建设，为各项工作提供坚强保证", [
        "深化村党组织标准化规范化建设，推动全面从严治党向基层延伸，锤炼干部过硬作风，凝聚干事创业"
        "合力，确保全年各项目标任务圆满完成。",
    ]),
]


def _sections(items: list[tuple[str, list[str]]]) -> list[SimpleNamespace]:
    ordinals = "一二三四五六七八九十"
    return [SimpleNamespace(ordinal=f"（{ordinals[i]}）", title=title, paragraphs=paragraphs)
            for i, (title, paragraphs) in enumerate(items)]


def rich_context(town: str = "清河镇", year: int = 2024, date: str = "2024年12月20日") -> dict[str, Any]:
    """A complete context of the template contract, long enough for six pages."""
    rows = [
        ("地区生产总值", "万元", "36200", "33674", "+7.5%"),
        ("农村居民人均可支配收入", "元", "21480", "20140", "+6.7%"),
        ("税收收入", "万元", "1186", "988", "+20.0%"),
        ("粮食总产量", "吨", "23000", "22309", "+3.1%"),
        ("奶牛存栏", "头", "2100", "1600", "+31.3%"),
        ("耕地面积", "亩", "56000", "—", "—"),
    ]
    return {
        "title": f"{town}{year}年工作总结", "town": town, "superior": "滨河区",
        "year": year, "next_year": year + 1,
        "intro": (f"{year}年，在滨河区委、区政府的正确领导下，{town}党委、政府团结带领全镇干部群众，"
                  "坚持稳中求进工作总基调，扎实推进经济发展和各项社会事业，较好地完成了全年各项目标任务。"
                  f"现将{year}年工作总结如下。"),
        "review": _sections(_REVIEW),
        "achievements_summary": (f"{year}年，全镇实现地区生产总值3.62亿元，农村居民人均可支配收入21480元，"
                                 "税收收入1186万元，分别比上年增长7.5%、6.7%和20.0%；地区生产总值"
                                 "完成全年目标的108.3%。"),
        "achievements": ["社会各项事业全面进步。义务教育学校全部通过区级督导评估，城乡居民基本医疗保险"
                         "参保率稳定在95%以上，安全生产形势平稳，全镇社会大局和谐稳定。"],
        "indicator_rows": [SimpleNamespace(name=n, unit=u, value=v, previous=p, change=c)
                           for n, u, v, p, c in rows],
        "problems": ("一是农业种植结构仍较单一，抵御市场风险的能力较弱；二是农业产业化经营水平不高，"
                     "缺少带动能力强的龙头企业；三是农村基础设施欠账较多，人居环境长效管护机制尚不健全。"),
        "outlook": _sections(_OUTLOOK),
        "author": f"{town}人民政府", "date": date,
        "previous_label": "上年同期", "chart": None, "growth_chart": None, "chart_caption": "",
    }


def render(context: dict[str, Any], output: Path, template: Path = TEMPLATE) -> Path:
    """Render the template with ``context`` the way docgen does (autoescape, StrictUndefined)."""
    document = DocxTemplate(str(template))
    document.render(context, jinja_env=jinja2.Environment(autoescape=True,
                                                          undefined=jinja2.StrictUndefined))
    document.save(str(output))
    return output


def body_text(path: Path, tables: bool = True) -> str:
    """All text of the document's body in order, without whitespace; table cells unless told not."""
    body = Document(str(path)).element.body
    pieces: list[str] = []
    for child in body:
        if child.tag == qn("w:p") or (tables and child.tag == qn("w:tbl")):
            pieces.extend(t.text or "" for t in child.iter(qn("w:t")))
    return "".join("".join(pieces).split())
