//! The words of the generated portal: counties, units, headlines, and the
//! bodies of the documents the rubric asks for (and of their near misses).
//! Written from `DOMAIN.md` (site patterns, item vocabulary, traps), not
//! from govcheck's rubric data.

use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;

/// A real Heilongjiang county-level city (佳木斯市) that no fixture site
/// uses, with its townships.
pub struct County {
    pub name: &'static str,
    pub short: &'static str,
    pub adcode: &'static str,
    pub towns: [(&'static str, &'static str); 10],
    pub address: &'static str,
    pub phone: &'static str,
    pub zip: &'static str,
}

pub const FUYUAN: County = County {
    name: "抚远市",
    short: "抚远",
    adcode: "230883",
    towns: [
        ("抚远镇", "fyz"),
        ("寒葱沟镇", "hcgz"),
        ("浓桥镇", "nqz"),
        ("乌苏镇", "wsz"),
        ("黑瞎子岛镇", "hxzdz"),
        ("海青镇", "hqz"),
        ("通江乡", "tjx"),
        ("浓江乡", "njx"),
        ("别拉洪乡", "blhx"),
        ("鸭南乡", "ynx"),
    ],
    address: "抚远市通江路66号市政府办公楼三楼",
    phone: "0454-7821203",
    zip: "156500",
};

pub const TONGJIANG: County = County {
    name: "同江市",
    short: "同江",
    adcode: "230881",
    towns: [
        ("同江镇", "tjz"),
        ("乐业镇", "lyz"),
        ("三村镇", "scz"),
        ("临江镇", "ljz"),
        ("向阳镇", "xyz"),
        ("青河镇", "qhz"),
        ("街津口赫哲族乡", "jjkx"),
        ("八岔赫哲族乡", "bcx"),
        ("金川乡", "jcx"),
        ("银川乡", "ycx"),
    ],
    address: "同江市中街118号市政府办公楼二楼",
    phone: "0454-2322016",
    zip: "156400",
};

/// Departments with a sub-site. None is named by a key-domain word
/// (no 教育局, 卫生健康局, 营商环境局): their pages are near misses for the
/// county's reports, guides and rules, not for item 10.
pub const DEPARTMENTS: [(&str, &str); 24] = [
    ("发展和改革局", "fgj"),
    ("财政局", "czj"),
    ("司法局", "sfj"),
    ("自然资源局", "zrzyj"),
    ("住房和城乡建设局", "zjj"),
    ("交通运输局", "jtj"),
    ("水务局", "slj"),
    ("农业农村局", "nyj"),
    ("商务局", "swj"),
    ("文体广电和旅游局", "wlj"),
    ("应急管理局", "yjj"),
    ("市场监督管理局", "scj"),
    ("退役军人事务局", "tyjrj"),
    ("民政局", "mzj"),
    ("统计局", "tjj"),
    ("审计局", "sjj"),
    ("林业和草原局", "lcj"),
    ("医疗保障局", "ybj"),
    ("人力资源和社会保障局", "rsj"),
    ("科学技术局", "kjj"),
    ("工业和信息化局", "gxj"),
    ("信访局", "xfj"),
    ("城市管理综合执法局", "cgj"),
    ("粮食局", "lsj"),
];

/// Neutral news sentences (no rubric word).
pub const SENTENCES: [&str; 12] = [
    "会议强调，要进一步提高政治站位，压实工作责任，确保各项任务落到实处。",
    "与会人员围绕前一阶段工作开展情况进行了交流发言，并就下一步工作提出了意见建议。",
    "活动现场，工作人员向过往群众发放宣传资料，耐心解答群众咨询。",
    "下一步，将持续加强督促指导，推动各项工作取得更大成效。",
    "此次活动进一步增强了干部群众的责任意识，收到了良好效果。",
    "据了解，今年以来已累计开展各类检查、培训和走访活动四十余次。",
    "检查组一行深入现场，详细了解有关情况，对发现的问题当场反馈并督促整改。",
    "会上传达学习了上级有关会议精神，通报了近期重点工作进展情况。",
    "大家纷纷表示，将以此次活动为契机，立足岗位、担当作为。",
    "市领导要求，各有关单位要加强协调配合，形成工作合力。",
    "会议还对近期安全稳定、防灾减灾等工作进行了安排部署。",
    "参加活动的干部职工表示，收获很大，深受启发。",
];

const TOPICS: [&str; 16] = [
    "安全生产",
    "森林草原防灭火",
    "防汛抗旱",
    "秋粮收储",
    "春耕生产",
    "乡村振兴",
    "城乡环境卫生整治",
    "文明城市创建",
    "信访稳定",
    "党风廉政建设",
    "边境旅游",
    "招商引资",
    "冬季旅游",
    "口岸建设",
    "粮食生产",
    "民族团结进步",
];

pub const ACTIVITIES: [&str; 12] = [
    "开展安全生产大检查",
    "开展全民国家安全教育日宣传活动",
    "开展爱国卫生运动",
    "组织义务植树活动",
    "开展禁毒宣传活动",
    "开展防范电信网络诈骗宣传",
    "开展消防安全应急演练",
    "召开党风廉政建设工作会议",
    "开展“我为群众办实事”走访活动",
    "组织干部职工学习党的二十大精神",
    "开展防汛应急演练",
    "召开年度工作总结会议",
];

const NOTICES: [&str; 10] = [
    "关于做好元旦春节期间安全生产工作的通知",
    "关于开展森林草原防火专项检查的通知",
    "关于城区部分路段临时交通管制的通告",
    "关于开展第四次全国文物普查工作的通知",
    "关于做好汛期值班值守工作的通知",
    "关于公开招聘社区工作者的公告",
    "关于开展全国第五次经济普查的通告",
    "关于城区集中供暖开栓时间的通知",
    "关于禁止露天焚烧秸秆的通告",
    "关于征收土地补偿安置方案的公告",
];

/// Headlines that mention items' words without being the items (`{c}` the
/// county, `{y}` a year). A news or notice column carries about one a page.
pub const NEAR_MISS_NEWS: [&str; 16] = [
    "我市召开法治政府建设工作推进会",
    "市财政局召开推进权责清单调整工作会议",
    "市税务局开展减税降费政策宣传",
    "我市召开优化营商环境工作推进会",
    "市人社局举办就业创业政策宣讲活动",
    "我市召开重大项目建设调度会",
    "我市召开教育领域专项整治工作部署会",
    "我市举办重大行政决策程序规定专题培训",
    "我市推进基层政务公开标准化规范化工作",
    "市政府办公室召开政务公开工作培训会",
    "我市召开政府信息公开工作年度报告编制工作部署会",
    "市司法局开展法治政府建设示范创建宣传活动",
    "市财政局召开政府债务风险防控工作会议",
    "市住建局召开今冬明春供热保障工作会议",
    "市税务局召开留抵退税政策落实推进会",
    "市政府召开常务会议研究规范性文件清理工作",
];

pub const NEAR_MISS_NOTICES: [&str; 5] = [
    "关于报送{y}年度法治政府建设情况报告的通知",
    "关于做好{y}年政府信息公开工作年度报告编制发布工作的通知",
    "关于开展减税降费政策落实情况调研的通知",
    "关于组织开展权责清单动态调整工作的通知",
    "关于更新政府信息公开指南的通知",
];

pub const UNIT_NEAR_MISS: [&str; 5] = [
    "召开法治政府建设工作推进会",
    "组织学习政府信息公开条例",
    "学习传达权责清单动态调整工作要求",
    "开展政务公开业务培训",
    "召开政府信息公开工作年度报告编写工作会议",
];

/// The four news columns: directory, name, list pages.
pub const NEWS: [(&str, &str, usize); 4] = [
    ("yw", "要闻", 205),
    ("xzdt", "乡镇动态", 200),
    ("bmdt", "部门动态", 200),
    ("tzgg", "通知公告", 195),
];

/// A deterministic xorshift generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

/// `n` dates from `newest` down to `oldest`, evenly spread.
pub fn spread(n: usize, newest: NaiveDate, oldest: NaiveDate) -> Vec<NaiveDate> {
    let span = (newest - oldest).num_days().max(0);
    let steps = n.saturating_sub(1).max(1) as i64;
    (0..n)
        .map(|i| newest - chrono::Duration::days(span * i as i64 / steps))
        .collect()
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn p(lines: &[&str]) -> String {
    lines.iter().fold(String::new(), |mut s, l| {
        let _ = write!(s, "<p>{l}</p>");
        s
    })
}

fn fill(template: &str, county: &County, year: i32) -> String {
    template
        .replace("{c}", county.name)
        .replace("{y}", &year.to_string())
}

/// A headline of a news column, and whether it is a near miss.
pub fn headline(rng: &mut Rng, county: &County, column: &str, day: NaiveDate) -> (String, bool) {
    if rng.below(18) == 0 {
        let t = if column == "tzgg" {
            {
                let t = *rng.pick(&NEAR_MISS_NOTICES[..]);
                fill(t, county, day.year() - 1)
            }
        } else {
            {
                let t = *rng.pick(&NEAR_MISS_NEWS[..]);
                fill(t, county, day.year())
            }
        };
        return (t, true);
    }
    let n = rng.below(30) + 1;
    let t = match column {
        "yw" => match rng.below(5) {
            0 => format!("{}召开{}工作会议", county.name, rng.pick(&TOPICS)),
            1 => format!("市委常委会召开{}年第{}次会议", day.year(), n),
            2 => format!("市政府召开第{}次常务会议", n + 10),
            3 => {
                let town = rng.pick(&county.towns).0;
                format!("市领导到{}调研{}工作", town, rng.pick(&TOPICS))
            }
            _ => format!("{}{}", county.name, rng.pick(&ACTIVITIES)),
        },
        "xzdt" => {
            let town = rng.pick(&county.towns).0;
            format!("{}{}", town, rng.pick(&ACTIVITIES))
        }
        "bmdt" => {
            let dept = rng.pick(&DEPARTMENTS).0;
            format!("市{}{}", dept, rng.pick(&ACTIVITIES))
        }
        _ => rng.pick(&NOTICES).to_string(),
    };
    (t, false)
}

pub fn news_body(rng: &mut Rng, title: &str, day: NaiveDate) -> String {
    let a = rng.pick(&SENTENCES);
    let b = rng.pick(&SENTENCES);
    p(&[
        &format!("{}月{}日，{}。", day.month(), day.day(), title),
        a,
        b,
    ])
}

/// The 2022-style annual disclosure report: the six fixed headings and
/// the statistics period.
pub fn disclosure_report(issuer: &str, year: i32) -> String {
    p(&[
        &format!("本报告由{issuer}根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关通知要求编制。本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。"),
        "<strong>一、总体情况</strong>",
        &format!("{year}年，{issuer}认真贯彻落实政府信息公开条例，全年主动公开政府信息1260条，受理依申请公开12件，均按期答复。"),
        "<strong>二、主动公开政府信息情况</strong>",
        "<table border=\"1\"><tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr><tr><td>行政规范性文件</td><td>4</td><td>1</td><td>23</td></tr></table>",
        "<strong>三、收到和处理政府信息公开申请情况</strong>",
        "本年新收政府信息公开申请12件，予以公开8件，部分公开2件，不予公开1件，无法提供1件。",
        "<strong>四、政府信息公开行政复议、行政诉讼情况</strong>",
        "本年度未发生因政府信息公开引起的行政复议和行政诉讼。",
        "<strong>五、存在的主要问题及改进情况</strong>",
        "公开内容的全面性和及时性有待提高，下一步将加强业务培训。",
        "<strong>六、其他需要报告的事项</strong>",
        "本年度未收取信息处理费。",
    ])
}

pub fn rule_of_law_report(issuer: &str, year: i32) -> String {
    p(&[
        &format!("{year}年，{issuer}坚持以习近平法治思想为指导，全面落实法治政府建设实施纲要，现将{year}年度法治政府建设情况报告如下。"),
        &format!("<strong>一、{year}年度推进法治政府建设的主要举措和成效</strong>"),
        "依法全面履行政府职能，深化“放管服”改革；健全依法决策机制；严格规范公正文明执法；强化对行政权力的制约和监督。",
        "<strong>二、存在的不足和原因</strong>",
        "部分执法人员法治意识有待增强，基层法治建设力量较为薄弱。",
        "<strong>三、党政主要负责人履行推进法治建设第一责任人职责情况</strong>",
        "主要负责人带头学法用法，专题研究法治政府建设工作四次。",
        &format!("<strong>四、{}年度推进法治政府建设的主要安排</strong>", year + 1),
        "持续推进严格规范公正文明执法，加强行政执法监督。",
    ])
}

pub fn guide(issuer: &str, county: &County) -> String {
    p(&[
        &format!("为便于公民、法人和其他组织获取{issuer}的政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。"),
        "<strong>一、主动公开</strong>",
        &format!("主动公开的范围见法定主动公开内容目录。主动公开的政府信息通过{}人民政府门户网站、政府公报等途径公开，自信息形成或变更之日起20个工作日内公开。", county.name),
        "<strong>二、依申请公开</strong>",
        "申请人可以通过当面、邮寄、互联网等方式提出申请。申请应当包括申请人的姓名或者名称、身份证明、联系方式，申请公开的政府信息的名称、文号或者便于查询的其他特征性描述。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。",
        "<strong>三、收费</strong>",
        "行政机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，可以收取信息处理费。",
        "<strong>四、监督和救济</strong>",
        "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
        &format!("<strong>五、政府信息公开工作机构</strong>　名称：{}人民政府办公室　办公地址：{}　办公时间：工作日上午8:30-11:30，下午13:30-17:00　联系电话：{}　邮政编码：{}", county.name, county.address, county.phone, county.zip),
    ])
}

pub fn rules(issuer: &str, what: &str) -> String {
    p(&[
        &format!("第一条　为规范{issuer}政府信息公开{what}工作，根据《中华人民共和国政府信息公开条例》，结合工作实际，制定本制度。"),
        &format!("第二条　本制度适用于{issuer}及其工作机构政府信息公开的{what}工作。"),
        "第三条　拟公开的政府信息应当依照法律、法规和国家有关规定进行审查，明确公开属性。",
        "第四条　政务公开工作机构负责本制度的组织实施，对违反本制度的，依规追究责任。",
        "第五条　本制度自印发之日起施行。",
    ])
}

/// A government budget or final accounts package; `debt` adds the debt
/// section and its 限额/余额 table.
pub fn budget(county: &County, what: &str, debt: Option<(&str, &str)>) -> String {
    let mut s = p(&[
        &format!(
            "经{}人民代表大会审查批准，现将{}公开如下。",
            county.name, what
        ),
        "一、一般公共预算收支情况：一般公共预算收入完成6.82亿元，一般公共预算支出31.45亿元。",
        "二、政府性基金预算收支情况：政府性基金预算收入2.13亿元，支出4.96亿元。",
    ]);
    if let Some((limit, balance)) = debt {
        s.push_str(&p(&[&format!("三、政府债务情况：全市政府债务余额{balance}亿元，控制在省核定的政府债务限额{limit}亿元以内。")]));
        let _ = write!(s, "<table border=\"1\"><caption>{}政府债务限额和余额情况表</caption><tr><th>项目</th><th>债务限额（亿元）</th><th>债务余额（亿元）</th></tr><tr><td>一般债务</td><td>21.30</td><td>20.87</td></tr><tr><td>专项债务</td><td>9.60</td><td>9.12</td></tr><tr><td>合计</td><td>{limit}</td><td>{balance}</td></tr></table>", county.name);
    }
    s
}

pub fn department_budget(unit: &str, what: &str) -> String {
    p(&[
        &format!("{unit}{what}收入合计1,286.4万元，支出合计1,286.4万元。"),
        "“三公”经费预算数为12.3万元，较上年减少0.8万元。",
        "本单位无政府性基金预算收支，无国有资本经营预算收支。",
    ])
}

pub fn powers_list(unit: &str) -> String {
    format!("<table border=\"1\"><tr><th>序号</th><th>事项名称</th><th>事项类型</th><th>实施主体</th><th>设定依据</th><th>追责情形</th></tr><tr><td>1</td><td>行政许可事项办理</td><td>行政许可</td><td>{unit}</td><td>《中华人民共和国行政许可法》</td><td>不依法履行职责的</td></tr><tr><td>2</td><td>对违法行为的处罚</td><td>行政处罚</td><td>{unit}</td><td>《中华人民共和国行政处罚法》</td><td>滥用职权的</td></tr></table>")
}

/// A key-domain column: directory under `/zwgk/zdly/`, name, filler
/// titles (`{c}`, `{y}`, `{n}`, `{t}` a township, `{m}` a matter), sources.
pub struct Domain {
    pub item: &'static str,
    pub slug: &'static str,
    pub name: &'static str,
    pub fillers: &'static [&'static str],
    pub source: &'static str,
}

pub const DOMAINS: [Domain; 9] = [
    Domain {
        item: "10.business_environment",
        slug: "yshj",
        name: "优化营商环境",
        fillers: &[
            "{c}{y}年优化营商环境重点任务推进情况（第{n}期）",
            "{c}惠企政策兑现情况公示（{y}年第{n}批）",
            "{c}助企纾困政策解读（{y}-{n}）",
        ],
        source: "营商环境建设监督局",
    },
    Domain {
        item: "10.tax_fee_cuts",
        slug: "jsjf",
        name: "减税降费",
        fillers: &[
            "{y}年税费优惠政策解读（第{n}期）",
            "留抵退税政策问答（{y}年第{n}期）",
            "{c}{y}年减税降费政策落实情况（第{n}期）",
        ],
        source: "税务局",
    },
    Domain {
        item: "10.effective_investment",
        slug: "zdxm",
        name: "重大建设项目",
        fillers: &[
            "{c}{y}年重点项目建设进展情况（第{n}期）",
            "{c}{y}年第{n}批重大项目开复工情况",
            "{c}重大建设项目批准和实施信息（{y}-{n}）",
        ],
        source: "发展和改革局",
    },
    Domain {
        item: "10.employment",
        slug: "jycy",
        name: "就业创业",
        fillers: &[
            "{c}{y}年第{n}期就业岗位信息",
            "{c}稳岗就业补贴发放公示（{y}年第{n}批）",
            "{c}{y}年就业创业政策问答（{n}）",
        ],
        source: "人力资源和社会保障局",
    },
    Domain {
        item: "10.public_institutions",
        slug: "ggqsy",
        name: "公共企事业单位信息公开",
        fillers: &[
            "{c}自来水公司{y}年第{n}期水质公告",
            "{c}供热公司{y}年第{n}期信息公开",
            "{c}公共服务事项办理情况公示（{y}年第{n}期）",
        ],
        source: "住房和城乡建设局",
    },
    Domain {
        item: "10.education",
        slug: "jyly",
        name: "教育领域",
        fillers: &[
            "{c}{y}年教育信息公开（第{n}期）",
            "{c}{y}年学生资助政策公告（第{n}批）",
            "{c}教育领域{y}年第{n}期信息发布",
        ],
        source: "教育局",
    },
    Domain {
        item: "10.official_documents",
        slug: "zfgw",
        name: "政府公文",
        fillers: &[
            "{c}人民政府关于印发{c}{m}的通知",
            "{c}人民政府办公室关于印发{c}{m}的通知",
        ],
        source: "人民政府办公室",
    },
    Domain {
        item: "10.major_decisions",
        slug: "zdxzjc",
        name: "重大行政决策",
        fillers: &[
            "{c}{y}年度重大行政决策事项目录（第{n}次调整）",
            "关于{c}{m}（征求意见稿）的决策预公开",
            "{c}重大行政决策事项意见征集结果反馈（{y}-{n}）",
        ],
        source: "人民政府办公室",
    },
    Domain {
        item: "10.township_catalogue",
        slug: "jczwgk",
        name: "基层政务公开",
        fillers: &["{t}政务公开事项标准目录（{y}年第{n}次更新）"],
        source: "",
    },
];

/// Matters of government documents: none names a key domain.
pub const MATTERS: [&str; 14] = [
    "城市园林绿化管理办法",
    "森林草原防灭火工作方案",
    "城市道路挖掘管理规定",
    "地名管理办法",
    "市政设施维护管理办法",
    "户外广告设置管理办法",
    "农村集体资产管理办法",
    "防汛抗旱应急预案",
    "安全生产专项整治实施方案",
    "秸秆综合利用实施方案",
    "历史文化街区保护办法",
    "殡葬管理办法",
    "犬只管理规定",
    "国有土地上房屋征收与补偿办法",
];

pub fn domain_filler(
    rng: &mut Rng,
    d: &Domain,
    county: &County,
    day: NaiveDate,
    n: usize,
) -> String {
    let template = *rng.pick(d.fillers);
    let town: &str = rng.pick(&county.towns).0;
    let matter = *rng.pick(&MATTERS[..]);
    template
        .replace("{c}", county.name)
        .replace("{y}", &day.year().to_string())
        .replace("{n}", &n.to_string())
        .replace("{t}", town)
        .replace("{m}", matter)
}

/// The one in-window entry of a key-domain column that has its item:
/// title, date, body.
pub fn domain_target(d: &Domain, county: &County) -> (String, NaiveDate, String) {
    let c = county.name;
    match d.slug {
        "yshj" => (
            format!("{c}优化营商环境若干措施"),
            date(2022, 11, 8),
            p(&["为持续优化营商环境，激发市场主体活力，制定以下措施：压缩企业开办时间至0.5个工作日；推行惠企政策免申即享；建立助企纾困服务专员制度。"]),
        ),
        "jsjf" => (
            format!("{c}2022年新的组合式税费支持政策落实情况"),
            date(2022, 10, 12),
            p(&["2022年1至9月，全市新增减税降费及退税缓费1.32亿元，其中增值税留抵退税0.87亿元，惠及市场主体2100余户。"]),
        ),
        "zdxm" => (
            format!("{c}2023年重点建设项目计划"),
            date(2023, 3, 15),
            p(&["2023年全市安排重点建设项目46个，总投资58.6亿元，年度计划投资21.3亿元。附：重点建设项目计划表。"]),
        ),
        "jycy" => (
            format!("{c}2023年春风行动暨就业援助月招聘活动公告"),
            date(2023, 2, 1),
            p(&["为促进重点群体就业，市人力资源和社会保障局组织开展春风行动，共有62家企业提供就业岗位1380个，并集中宣传稳岗就业政策。"]),
        ),
        "ggqsy" => (
            format!("{c}供热公司2022—2023年采暖期供热收费标准公示"),
            date(2022, 9, 26),
            p(&["根据物价部门核定标准，居民供热价格每平方米每采暖期30.5元，非居民每平方米41.2元，采暖期为10月15日至次年4月15日。"]),
        ),
        "jyly" => (
            format!("{c}2023年义务教育学校招生入学政策公告"),
            date(2023, 6, 10),
            p(&["2023年全市义务教育学校招生坚持免试就近入学，小学一年级招生对象为2017年8月31日前出生的适龄儿童。"]),
        ),
        "zfgw" => (
            format!("{c}人民政府关于印发{c}城市园林绿化管理办法的通知"),
            date(2022, 12, 6),
            p(&[
                &format!("{}政规〔2022〕5号", county.short),
                "各乡镇人民政府，市政府各部门：现将《城市园林绿化管理办法》印发给你们，请认真贯彻执行。",
            ]),
        ),
        "zdxzjc" => (
            format!("{c}2023年度重大行政决策事项目录"),
            date(2023, 3, 1),
            p(&["经市政府常务会议研究，确定2023年度重大行政决策事项5项：城区集中供热专项规划、国土空间总体规划等。"]),
        ),
        _ => (
            format!("{}政务公开事项标准目录", county.towns[0].0),
            date(2022, 11, 20),
            p(&["依据国务院部门制定的26个试点领域基层政务公开标准指引，编制本乡镇政务公开事项标准目录，共梳理公开事项128项。"]),
        ),
    }
}
