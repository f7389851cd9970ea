"""The word lists behind :mod:`bot.news.relevance`: what counts as evidence that an item is news
about the Korean Peninsula, and what marks it as entertainment, sport or shopping instead.

Each :class:`Group` is a class of evidence with one weight and the topics it points to.
English terms are phrases matched on whole words, case-insensitively; hyphens and
apostrophes split words ("inter-Korean" is ``inter korean``), and a plural of the last
word is matched too. Korean terms are matched as substrings, since particles attach to
words without a space (북한은, 북한의); a term may be marked

* ``^term`` — not preceded by a Hangul syllable (``^한은`` must not match 권한은),
* ``term$`` — not followed by one (``^북$`` is the headline abbreviation, not 북미).

Where the longest match wins, a NEUTRAL phrase swallows a misleading part: 배우자
("spouse") is not 배우 ("actor"), 북한산 is a mountain.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.models import Topic


class Kind(StrEnum):
    ANCHOR = "anchor"
    """Korea-specific names: North Korea, 김정은, National Assembly, 합참. Strong evidence."""
    DOMESTIC = "domestic"
    """Korean words that mean Korea's own institutions only in Korean news (여야, 총선):
    an anchor, unless the text names a foreign country, when it is a cue."""
    KOREA = "korea"
    """Names Korea or a Korean place, and no more: weak evidence on its own."""
    CUE = "cue"
    """Topical words (missile, tariff, birth rate) that count fully only beside Korea."""
    FOREIGN = "foreign"
    """Other countries' capitals and leaders: a diplomacy cue; in Korean text they also mark
    the item as foreign news, so it gets no implicit Korean context."""
    NEGATIVE = "negative"
    """Entertainment, sport, products, lifestyle, weather."""
    NEUTRAL = "neutral"
    """Matched only so that their parts are not."""


@dataclass(frozen=True, slots=True)
class Group:
    """Terms that are the same kind of evidence, with the same weight and topics."""

    kind: Kind
    weight: float
    topics: tuple[Topic, ...]
    english: tuple[str, ...] = ()
    korean: tuple[str, ...] = ()
    topic_weight: float | None = None
    """What a term adds to its topics' evidence; the group's weight when None. Low for
    names that say where, not what (North Korea is in every North Korea story)."""

    @property
    def topic_evidence(self) -> float:
        return self.weight if self.topic_weight is None else self.topic_weight


def terms(*lines: str) -> tuple[str, ...]:
    """``terms("a | b |", "c")`` → ``("a", "b", "c")``: word lists stay compact in source."""
    return tuple(term.strip() for term in " ".join(lines).split("|") if term.strip())


SEC, IK, DIP, POL, ECO, HR = (
    Topic.SECURITY,
    Topic.INTER_KOREAN,
    Topic.DIPLOMACY,
    Topic.POLITICS,
    Topic.ECONOMY,
    Topic.HUMAN_RIGHTS,
)

_ANCHORS = (
    # North Korea itself: places, people, state organs and media. They say where, not
    # what, so they add little to a topic; security is their fallback.
    Group(
        Kind.ANCHOR,
        3.0,
        (SEC,),
        english=terms(
            "north korea | north korean | n korea | n korean | nk | dprk | pyongyang |",
            "kim jong un | kim yo jong | kim ju ae | leader kim | kcna |",
            "korean central news agency | rodong sinmun | wpk | workers' party of korea |",
            "supreme people's assembly | korean people's army | kpa | yongbyon | punggye ri |",
            "sohae | tongchang ri | hwasong | choe son hui | choe hyon | kim il sung |",
            "kim jong il | sinuiju | nampho | nampo | chongjin | wonsan | lazarus group | juche",
        ),
        korean=terms(
            "북한 | 북한군 | 北 | ^북$ | 북측 | 북핵 | 김정은 | 김여정 | 김주애 | ^주애 |",
            "조선중앙통신 | 조선중앙tv | 조선중앙방송 | 노동신문 | 로동신문 | 조선노동당 |",
            "최고인민회의 | 인민군 | 국무위원장 | 총비서 | 평양 | 영변 | 풍계리 | 동창리 | 화성- |",
            "최선희 | 신의주 | 청진 | 갈마 | 라자루스 | 정찰총국 | 조선민주주의인민공화국",
        ),
        topic_weight=0.5,
    ),
    Group(
        Kind.ANCHOR,
        2.0,
        (SEC,),
        english=terms(
            "korean peninsula",
        ),
        korean=terms(
            "한반도 | 노동당",
        ),
        topic_weight=0.5,
    ),
    # Between the two Koreas.
    Group(
        Kind.ANCHOR,
        3.0,
        (IK,),
        english=terms(
            "inter korean | two koreas | both koreas | unification ministry |",
            "ministry of unification | unification minister | panmunjom | panmunjeom | dmz |",
            "demilitarized zone | demilitarised zone | military demarcation line | mdl |",
            "northern limit line | nll | joint security area | kaesong | mount kumgang |",
            "mt kumgang | demarcation line",
        ),
        korean=terms(
            "남북 | 통일부 | 판문점 | 비무장지대 | 군사분계선 | 북방한계선 | 대북 | 대남 |",
            "조평통 | 개성공단 | 금강산 | 9·19 | 오물풍선 | 쓰레기 풍선",
        ),
    ),
    Group(
        Kind.ANCHOR,
        3.0,
        (IK, HR),
        english=terms(
            "separated families | family reunions",
        ),
        korean=terms(
            "이산가족",
        ),
    ),
    # South Korean politics (the North's politics reach the topic through the model).
    Group(
        Kind.ANCHOR,
        3.0,
        (POL,),
        english=terms(
            "people power party | democratic party of korea | rebuilding korea party |",
            "cheong wa dae | blue house | gallup korea | realmeter",
        ),
        korean=terms(
            "국회 | 국회의원 | 대통령실 | 청와대 | 더불어민주당 | ^민주당 | 국민의힘 |",
            "조국혁신당 | 개혁신당 | 헌법재판소 | ^헌재 | 한국갤럽 | 리얼미터 | 비상계엄 | ^탄핵 |",
            "^특검 | 내란",
        ),
    ),
    # Politicians: who, more than what; a president at a summit is diplomacy.
    Group(
        Kind.ANCHOR,
        3.0,
        (POL,),
        english=terms(
            "lee jae myung | president lee | yoon suk yeol | president yoon | kim keon hee |",
            "han duck soo | cho kuk | woo won shik | oh se hoon | han dong hoon | lee jun seok |",
            "kim moon soo | ahn cheol soo",
        ),
        korean=terms(
            "이재명 | 윤석열 | 김건희 | 한덕수 | 김문수 | 한동훈 | 이준석 | 우원식 | 이 대통령 |",
            "윤 전 대통령",
        ),
        topic_weight=1.0,
    ),
    Group(
        Kind.ANCHOR,
        2.5,
        (POL,),
        english=terms(
            "national assembly | yongsan",
        ),
    ),
    Group(
        Kind.DOMESTIC,
        2.5,
        (POL,),
        korean=terms(
            "^여야 | ^여당 | ^야당 | 원내대표 | 국정감사 | ^총선 | 지방선거",
        ),
    ),
    # South Korean security and foreign-policy institutions, and the alliance.
    Group(
        Kind.ANCHOR,
        2.5,
        (SEC,),
        english=terms(
            "jcs | joint chiefs of staff | national intelligence service | nis | freedom shield |",
            "ulchi freedom shield",
        ),
        korean=terms(
            "합참 | 합동참모본부 | 국정원 | 국가정보원 | 국방부 | 국군 | ^우리 군 |",
            "을지 자유의 방패 | 자유의 방패",
        ),
        topic_weight=1.0,
    ),
    Group(
        Kind.ANCHOR,
        2.5,
        (SEC, DIP),
        english=terms(
            "usfk | us forces korea | united states forces korea | combined forces command |",
            "un command",
        ),
        korean=terms(
            "주한미군 | 한미연합 | 연합사 | 유엔사",
        ),
    ),
    Group(
        Kind.ANCHOR,
        2.5,
        (DIP,),
        english=terms(
            "seoul and washington | washington and seoul | seoul tokyo | tokyo seoul |",
            "seoul beijing | beijing seoul | korea us | us korea | korea japan | japan korea |",
            "korea china | china korea",
        ),
        korean=terms(
            "한미 | 한일 | 한중 | 한미일 | 북러 | 북중 | 북일 | 외교부 | 방위비분담",
        ),
    ),
    # South Korean economic and social institutions.
    Group(
        Kind.ANCHOR,
        2.5,
        (ECO,),
        english=terms(
            "bank of korea | bok | statistics korea | kospi | kosdaq | kctu | fktu | korean won |",
            "the won | won dollar | trillion won | billion won | won falls | won slides |",
            "won weakens | won strengthens | won rises",
        ),
        korean=terms(
            "한국은행 | ^한은 | 기획재정부 | ^기재부 | 산업통상자원부 | 통계청 | 고용노동부 |",
            "금융위원회 | ^금융위 | 국토교통부 | 최저임금위원회 | 민주노총 | 한국노총 |",
            "금융통화위원회 | ^금통위 | 코스피 | 교육부 | 보건복지부 | ^복지부 | 행정안전부 |",
            "^행안부 | 여성가족부 | ^환경부 | 중소벤처기업부 | 과학기술정보통신부 | 국세청 |",
            "공정거래위원회 | ^공정위",
        ),
    ),
)

_KOREA = (
    # The country named outright, not just an adjective.
    Group(
        Kind.KOREA,
        1.5,
        (),
        english=terms(
            "south korea | south korean | s korea | s korean | rok",
        ),
        korean=terms(
            "대한민국",
        ),
    ),
    Group(
        Kind.KOREA,
        1.0,
        (),
        english=terms(
            "korea | korean | koreans | seoul | busan | incheon | daegu | gwangju | daejeon |",
            "ulsan | jeju | gyeonggi | gangwon | gyeongju | pyeongtaek | yeonpyeong |",
            "baengnyeong | paju | east sea | the north | the peninsula | korean war | kim | yoon",
        ),
        korean=terms(
            "한국 | ^국내 | 우리 정부 | ^서울 | ^부산 | ^인천 | ^제주 | ^대구 | ^광주 | ^대전 |",
            "^울산 | 경기도 | 강원도 | 수도권 | 韓 | ^국민 | 연평도 | 백령도 | ^동해 | ^서해",
        ),
    ),
)

_CUES = (
    Group(
        Kind.CUE,
        1.5,
        (SEC,),
        english=terms(
            "missile | ballistic | icbm | irbm | slbm | srbm | hypersonic | nuclear test |",
            "nuclear weapon | nuclear weapons | nuclear arsenal | nuclear programme |",
            "nuclear program | nuclear material | nuclear submarine | nuclear powered | warhead |",
            "enrichment | centrifuge | plutonium | denuclearization | denuclearisation |",
            "test fire | test fires | test fired | rocket launcher | artillery | provocation |",
            "warning shots | spy satellite | reconnaissance satellite | military satellite |",
            "freedom edge | strategic bomber | b 1b | aircraft carrier | destroyer | warship |",
            "bomber | thaad | kill chain | extended deterrence | nuclear umbrella |",
            "fight tonight | show of force | gps jamming | defence ministry | defense ministry |",
            "defence minister | defense minister | joint chiefs | crypto heist | cyberattack |",
            "hackers | hacking",
        ),
        korean=terms(
            "미사일 | 탄도 | 극초음속 | 핵실험 | 핵무기 | 핵무력 | 핵물질 | 핵탄두 | 핵시설 |",
            "핵잠 | 핵동력 | 핵추진 | 전술핵 | 핵위협 | 핵개발 | 핵보유 | 비핵화 | 농축 |",
            "원심분리기 | 방사포 | 도발 | 경고사격 | 정찰위성 | 전략폭격기 | 구축함 | 잠수함 |",
            "항공모함 | 사드 | 킬체인 | 확장억제 | gps 교란 | 해킹 | 해커 | 연합훈련 | 연합연습 |",
            "전투기 | 포사격 | 사격",
        ),
    ),
    Group(
        Kind.CUE,
        1.0,
        (SEC,),
        english=terms(
            "military | troops | soldiers | armed forces | navy | air force | fighter jet |",
            "drill | drone | spy agency | intelligence service | conscription | conscript |",
            "nuclear | deterrence | military parade | deployment | deployed | defence | defense |",
            "satellite",
        ),
        korean=terms(
            "군사 | 병력 | 징집 | 병역자원 | 무인기 | 드론 | 억제 | 열병식 | 파병 | 방어 | 안보 |",
            "^군 당국 | 발사 | ^핵$",
        ),
    ),
    Group(
        Kind.CUE,
        0.5,
        (SEC,),
        english=terms(
            "army | exercise | fired | launch | launched | shipyard | weapons",
        ),
        korean=terms(
            "훈련 | ^군$ | ^軍",
        ),
    ),
    Group(
        Kind.CUE,
        1.5,
        (IK,),
        english=terms(
            "unification | reunification | loudspeaker | leaflet | trash balloon | hotline |",
            "liaison | hostile state | primary foe | cross border | sept 19 | september 19 |",
            "fortified border",
        ),
        korean=terms(
            "^통일 | 확성기 | 전단 | 풍선 | 연락채널 | 통신선 | 적대국 | 적대적 두 국가 | ^송환 |",
            "공동연락사무소",
        ),
    ),
    Group(
        Kind.CUE,
        1.5,
        (IK, SEC),
        english=terms(
            "military pact | military agreement",
        ),
        korean=terms(
            "군사합의",
        ),
    ),
    Group(
        Kind.CUE,
        0.5,
        (IK,),
        english=terms(
            "border | fishermen | drifting",
        ),
        korean=terms(
            "접경 | ^어민",
        ),
    ),
    Group(
        Kind.CUE,
        1.5,
        (DIP,),
        english=terms(
            "summit | foreign minister | foreign ministry | diplomat | diplomatic | ambassador |",
            "envoy | alliance | trilateral | bilateral | treaty | sanctions | security council |",
            "cost sharing | shuttle diplomacy | state visit | apec | consular |",
            "strategic dialogue",
        ),
        korean=terms(
            "정상회담 | 외교장관 | 외무상 | 외무성 | 외교 | ^대사 | 특사 | ^동맹 | 조약 | ^제재 |",
            "안보리 | 방위비 | 셔틀외교 | 국빈 | ^방한 | ^방북 | ^방미 | ^방중 | ^방러 |",
            "정상외교",
        ),
    ),
    Group(
        Kind.CUE,
        1.0,
        (DIP,),
        english=terms(
            "talks | dialogue | allies | pact | united nations | nationals | immigration raid |",
            "phone call | g7 | g20",
        ),
        korean=terms(
            "^회담 | ^협상 | 유엔 | ^북미 | 구금 | ^통화",
        ),
    ),
    Group(
        Kind.CUE,
        0.5,
        (DIP,),
        english=terms(
            "visit | visited | visiting",
        ),
        korean=terms(
            "^방문",
        ),
    ),
    Group(
        Kind.CUE,
        1.0,
        (DIP, ECO),
        english=terms(
            "tariff | trade deal | trade talks | reciprocal tariff",
        ),
        korean=terms(
            "관세 | 통상",
        ),
    ),
    Group(
        Kind.CUE,
        1.5,
        (POL,),
        english=terms(
            "impeachment | impeach | impeached | martial law | insurrection | floor leader |",
            "approval rating | presidential office | confirmation hearing | confirmation vote |",
            "parliamentary audit | constitutional amendment | prosecution service | first lady |",
            "snap election | local elections | by election | presidential election |",
            "ruling party | main opposition",
        ),
        korean=terms(
            "^계엄 | ^파면 | ^기소 | 구속영장 | ^검찰 | 당대표 | 전당대회 | ^대선 | 보궐선거 |",
            "지지율 | 국무총리 | ^총리 | 인사청문회 | 국정조사 | 본회의 | ^개헌 | 정부조직법 |",
            "임명동의안 | 의원총회 | ^의원들 | ^조국$",
        ),
    ),
    Group(
        Kind.CUE,
        1.0,
        (POL,),
        english=terms(
            "lawmaker | parliament | parliamentary | legislature | opposition | election |",
            "constitutional court | special counsel | indicted | indictment | indicts |",
            "prosecutors | cabinet | democratic party | ppp | ousted | referendum | nominee",
        ),
        korean=terms(
            "^대통령 | ^선거 | ^법안 | ^장관 후보자 | ^정당",
        ),
    ),
    Group(
        Kind.CUE,
        0.5,
        (POL,),
        english=terms(
            "president | prime minister | minister | bill | speaker | court",
        ),
        korean=terms(
            "^정부 | ^법원 | ^장관",
        ),
    ),
    Group(
        Kind.CUE,
        1.5,
        (ECO,),
        english=terms(
            "interest rate | benchmark rate | base rate | policy rate | rate decision | rate cut |",
            "rate hike | monetary policy | inflation | consumer prices | gdp | economic growth |",
            "growth forecast | growth outlook | recession | trade balance | trade surplus |",
            "trade deficit | current account | per dollar | finance ministry | finance minister |",
            "labour ministry | labor ministry | fertility rate | birth rate | birthrate |",
            "ageing population | aging population | population decline | minimum wage |",
            "retirement age | pension reform | national pension | general strike |",
            "trainee doctors | medical school | housing prices | home prices | apartment prices |",
            "household debt | extra budget | supplementary budget | consumption coupons |",
            "financial services commission",
        ),
        korean=terms(
            "기준금리 | ^금리 | ^물가 | 소비자물가 | 성장률 | ^경기 침체 | ^수출 | ^수입 |",
            "무역수지 | 경상수지 | 환율 | 원·달러 | 원화 | 출산율 | 출생아 | 저출생 | 저출산 |",
            "고령화 | 인구 감소 | 최저임금 | ^정년 | 국민연금 | 연금개혁 | 총파업 | 전공의 |",
            "의대 증원 | 의정 갈등 | 집값 | 부동산 대책 | 주택담보대출 | ^주담대 | 가계부채 |",
            "^추경 | 추가경정예산 | 예산안 | 소비쿠폰 | 노란봉투법 | ^노사 | 경영계 | ^고용률 |",
            "^실업률 | 취업자 | 외환당국 | ^세수 | ^의대 | 아파트값 | ^전세",
        ),
    ),
    # North Korea's domestic economy as its state media reports it: farms, mines, factories,
    # houses. KCNA's items name the DPRK and little else; without these they fell back to
    # security. Topic evidence only (weight 0): these words say what, not whether.
    Group(
        Kind.CUE,
        0.0,
        (ECO,),
        english=terms(
            "cooperative farm | farm | farms | farming | farmers | harvest | crop | crops |",
            "agricultural | agriculture | fertilizer | greenhouse farm | livestock | fishery |",
            "fishing | coal mine | mine | power station | hydropower | cement | iron works |",
            "steel works | factory | factories | production | new houses | dwelling houses |",
            "houses built | construction | railway | railways | reforestation | tree planting |",
            "technical innovation | light industry | consumer goods",
        ),
        korean=terms(
            "협동농장 | 농장 | 농업 | 수확 | 알곡 | 비료 | 온실농장 | 탄광 | 발전소 | 살림집 |",
            "건설 | 철도 | 공장 | 생산 | 경공업 | 소비품 | 산림",
        ),
        topic_weight=1.5,
    ),
    Group(
        Kind.CUE,
        1.0,
        (ECO,),
        english=terms(
            "economy | exports | imports | currency | central bank | labour union | labor union |",
            "unions | strike | walkout | mortgage | property market | budget | stimulus |",
            "unemployment | jobless | employment | chaebol | growth | foreign investors |",
            "metal workers",
        ),
        korean=terms(
            "^경제 | ^노조 | 노동조합 | ^파업 | ^예산 | ^고용 | ^일자리 | ^세제 | ^세법 |",
            "^부동산 | ^가계 | ^증시",
        ),
    ),
    Group(
        Kind.CUE,
        0.5,
        (ECO,),
        english=terms(
            "economic | tax | real estate | doctors | jobs | marriages | births",
        ),
        korean=terms(
            "^혼인 | ^인구",
        ),
    ),
    Group(
        Kind.CUE,
        1.5,
        (HR,),
        english=terms(
            "human rights | rights group | forced labour | forced labor | forced repatriation |",
            "defector | abductee | abduction | abducted | prison camp | political prisoners |",
            "public execution | executed | execution | execute | executes | torture |",
            "reactionary thought | enslavement | commission of inquiry | religious freedom",
        ),
        korean=terms(
            "인권 | 강제북송 | 강제노동 | 탈북 | 납북 | 억류자 | 국군포로 | 정치범 | 수용소 |",
            "공개처형 | 처형 | 총살 | 고문 | 반동사상문화배격법 | ^단속 | ^북송 | 북한이탈주민",
        ),
    ),
    Group(
        Kind.CUE,
        1.0,
        (HR,),
        english=terms(
            "repatriated | repatriation | kidnapped | crackdown | detainees | detention |",
            "freedom",
        ),
        korean=terms(
            "^검열 | ^구금시설",
        ),
    ),
    Group(
        Kind.FOREIGN,
        0.5,
        (DIP,),
        english=terms(
            "us | united states | washington | white house | trump | biden | rubio | china |",
            "chinese | beijing | xi | xi jinping | wang yi | japan | japanese | tokyo | ishiba |",
            "takaichi | russia | russian | moscow | kremlin | putin | lavrov | un | pentagon |",
            "nato | kursk",
        ),
        korean=terms(
            "미국 | 美 | 트럼프 | 백악관 | ^워싱턴 | 중국 | 中 | 시진핑 | ^왕이 | 베이징 | 일본 |",
            "日 | 이시바 | 다카이치 | 도쿄 | 러시아 | ^러$ | 露 | 푸틴 | 라브로프 | 모스크바 |",
            "크렘린 | 쿠르스크 | 나토",
        ),
    ),
    # Foreign news markers that say nothing about Korea: they only keep Korean-language
    # foreign news from the implicit Korean context.
    Group(
        Kind.FOREIGN,
        0.0,
        (),
        korean=terms(
            "대만 | 이란 | 이스라엘 | ^인도 | 파키스탄 | 필리핀 | 우크라이나 | 키이우 | ^유럽 |",
            "영국 | 프랑스 | 독일 | 호주 | ^연준 | 일본은행 | 가자 | 하마스",
        ),
    ),
)

_NEGATIVES = (
    # Entertainment and celebrities.
    Group(
        Kind.NEGATIVE,
        2.0,
        (),
        english=terms(
            "k pop | kpop | k drama | kdrama | boy band | girl group | boy group | bts |",
            "blackpink | newjeans | stray kids | aespa | le sserafim | jungkook | jimin | jennie |",
            "hybe | sm entertainment | jyp | yg entertainment | box office | actor | actress |",
            "singer | soloist | rapper | variety show | webtoon | baeksang | military service |",
            "mandatory military service | alternative service | skincare | cosmetics | sunscreen",
        ),
        korean=terms(
            "케이팝 | k팝 | 아이돌 | 걸그룹 | 보이그룹 | 방탄소년단 | 블랙핑크 | 뉴진스 | 세븐틴 |",
            "에스파 | 스트레이 키즈 | 하이브 | 어도어 | 소속사 | 컴백 | 빌보드 | 음원 | 예능 |",
            "박스오피스 | 배우 | 가수 | 연예인 | 시청률 | 넷플릭스 | 백상 | 시상식 | 뮤직비디오 |",
            "웹툰 | 군악대 | 군 복무 | 군복무 | 득남 | 득녀 | 열애 | 신곡 | 리메이크 | 뷰티 |",
            "화장품 | 선크림 | 스킨케어 | 팬미팅 | 팬덤",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.5,
        (),
        english=terms(
            "idol | album | billboard | fans | fandom | drama | netflix | film | movie |",
            "premiere | celebrity | festival | thriller | zombie | entertainment | enlist |",
            "enlisted | enlistment | beauty | fashion",
        ),
        korean=terms(
            "앨범 | 콘서트 | 월드투어 | 팬들 | 드라마 | 영화 | 관객 | 개봉 | 입대 | 훈련소",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.0,
        (),
        english=terms(
            "comeback | concert | world tour | tour | chart | fan | streamer | award | song |",
            "music | band | viewers | views | episode | season | discharged | star | stars",
        ),
        korean=terms(
            "차트 | 투어 | 시즌 | 결혼 | 매진 | 티켓 | 공연 | ^전역",
        ),
    ),
    # Sport.
    Group(
        Kind.NEGATIVE,
        2.0,
        (),
        english=terms(
            "football | soccer | baseball | basketball | volleyball | golf | golfer | tennis |",
            "badminton | archery | archer | olympic | olympics | world cup | asian games |",
            "asian cup | kbo | k league | mlb | nba | pga | pga tour | lpga | premier league |",
            "bundesliga | champions league | home run | innings | pitcher | outfielder |",
            "midfielder | striker | marathon | short track | figure skating | speed skating |",
            "esports | league of legends | faker | son heung min | kim min jae | lee kang in |",
            "hwang hee chan | ryu hyun jin | lee jung hoo | kim ha seong | kim hye seong |",
            "an se young | choi min jeong | ohtani | dodgers | tottenham | bayern | lafc |",
            "penalty shootout",
        ),
        korean=terms(
            "축구 | 야구 | 농구 | 배구 | 골프 | 테니스 | 배드민턴 | 양궁 | 올림픽 | 금메달 |",
            "월드컵 | 아시안게임 | 아시안컵 | 프로야구 | k리그 | 메이저리그 | 프리미어리그 |",
            "분데스리가 | 홈런 | 안타 | 이닝 | 결승골 | ^우승 | 준우승 | 손흥민 | 김민재 |",
            "이강인 | 황희찬 | 류현진 | 이정후 | 김하성 | 김혜성 | 안세영 | 최민정 | 김연아 |",
            "페이커 | e스포츠 | 마라톤 | 쇼트트랙 | 피겨 | 승부차기 | 무실점 | 한일전 | 트윈스 |",
            "이글스 | 자이언츠 | 다저스 | 토트넘 | 울버햄프턴 | 홍명보호",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.5,
        (),
        english=terms(
            "medal | gold medal | tournament | championship | runners | skater | defender | goal |",
            "scored | header | world no | t1 | league | penalties",
        ),
        korean=terms(
            "메달 | ^선수 | 국가대표 | 대표팀 | ^득점 | ^관중 | 역전승 | 풀타임",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.0,
        (),
        english=terms(
            "match | coach | champion | champions | stadium | giants | twins | eagles | wolves",
        ),
        korean=terms(
            "^결승 | ^경기장",
        ),
    ),
    # Companies and their products.
    Group(
        Kind.NEGATIVE,
        2.0,
        (),
        english=terms(
            "smartphone | foldable | unpacked | iphone | oled | laptop | suv | sedan |",
            "concept car | car of the year | auto show | motor show | new model | pre order |",
            "pre orders | goes on sale | gaming | gamer | early access | free to play |",
            "theme park | roller coaster | pubg | nexon | krafton | ncsoft | netmarble |",
            "amorepacific | mass production",
        ),
        korean=terms(
            "갤럭시 | 스마트폰 | 폴더블 | 언팩 | 아이폰 | 노트북 | 신차 | ^출시 | 신제품 |",
            "사전계약 | 사전판매 | 콘셉트카 | 오토쇼 | 모터쇼 | ^신작 | 넥슨 | 크래프톤 |",
            "엔씨소프트 | 넷마블 | 아모레퍼시픽 | 롯데월드 | 놀이기구 | 롤러코스터 | 양산 체제 |",
            "양산 돌입 | 로켓배송",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.5,
        (),
        english=terms(
            "galaxy | naver | kakao | coupang | lg electronics | sk hynix | korean air | asiana |",
            "game | games | tech giant | chipmaker | electronics maker | e commerce | ces",
        ),
        korean=terms(
            "^게임 | 쿠팡 | ^네이버 | 카카오 | lg전자 | sk하이닉스 | 대한항공 | 아시아나 |",
            "제네시스 | ^결항 | ^회항",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.0,
        (),
        english=terms(
            "phone | tv | app | messenger | players | steam | shooter | console | samsung |",
            "samsung electronics | hyundai motor | kia | lotte | genesis | airline | flight |",
            "brand | amazon | retailer",
        ),
        korean=terms(
            "^삼성전자 | ^현대차 | ^현대자동차 | ^기아 | ^업데이트 | ^앱 | ^배송 | ^매출 |",
            "^브랜드 | ^입점 | ^마트 | ^항공편 | ^여객기 | ^스팀 | ^이용자",
        ),
    ),
    # Food, travel, culture and human interest.
    Group(
        Kind.NEGATIVE,
        2.0,
        (),
        english=terms(
            "recipe | kimchi | gochujang | bibimbap | bulgogi | barbecue | fried chicken | chef |",
            "michelin | cuisine | fireworks | cherry blossom | cherry blossoms | foliage |",
            "hanbok | duolingo | booker | adoptee | koreatown | korean american | panda | zoo",
        ),
        korean=terms(
            "레시피 | 맛집 | 김장 | 된장찌개 | 김밥 | 한식당 | 셰프 | 미쉐린 | 불꽃 | 벚꽃 |",
            "단풍 | 팝업스토어 | 웨이팅 | 한인타운 | 코리아타운 | 부커상 | 입양인 | 판다 |",
            "푸바오 | 듀오링고 | ^재미 한인",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.5,
        (),
        english=terms(
            "restaurant | travel | tourist | destination | museum | exhibition | artist | novel |",
            "literature | birthday | wedding | blossoms",
        ),
        korean=terms(
            "^김치 | 여행 | 관광객 | 해외여행 | 축제 | 전시회 | 미술관 | 박물관 | ^소설 | ^생일 |",
            "한국계 | ^입양 | ^요리 | ^한옥",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.0,
        (),
        english=terms(
            "cook | cooking | cafe | menu | food | dish | tourism | visitors | art | gallery |",
            "translation | adopted | married | baby | hiking",
        ),
        korean=terms(
            "^한식 | ^식당 | ^카페 | ^관광 | ^등산 | ^개화 | ^작가 | ^한인",
        ),
    ),
    # Weather and local incidents.
    Group(
        Kind.NEGATIVE,
        2.0,
        (),
        english=terms(
            "weather agency | snowfall | heavy rain | monsoon | heat wave | heatwave |",
            "degrees celsius | typhoon | yellow dust | fine dust | air quality | thunderstorms |",
            "earthquake | quake | firefighters | blaze",
        ),
        korean=terms(
            "기상청 | 강수량 | 폭우 | 호우 | 폭염 | 폭설 | 한파 | 황사 | 미세먼지 | 태풍 | 장마 |",
            "^날씨 | 교통 통제",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.5,
        (),
        english=terms(
            "weather | snow | storm | tremor | subway | rainfall",
        ),
        korean=terms(
            "^지진 | ^지하철 | ^소방",
        ),
    ),
    Group(
        Kind.NEGATIVE,
        1.0,
        (),
        english=terms(
            "rain | temperatures | magnitude | traffic | commuters",
        ),
        korean=terms(
            "^기온 | ^화재 | ^예보",
        ),
    ),
)

_NEUTRAL = (
    Group(
        Kind.NEUTRAL,
        0.0,
        (),
        english=terms(
            "north face | north london | north america | north american | game changer |",
            "political drama | sk group",
        ),
        korean=terms(
            "배우자 | 북한산 | 북한강 | 평양냉면 | 남북극 | 한미약품 | 한미반도체 | 한미사이언스 |",
            "북중미 | 대통령배 | 전역에 | 전역으로 | 전역을 | 전역의 | 영국 노동당 | 中企 |",
            "팬데믹 | 권한은 | 제한은 | 전단지 | 북미 지역 | 북미 시장",
        ),
    ),
)

GROUPS: tuple[Group, ...] = _ANCHORS + _KOREA + _CUES + _NEGATIVES + _NEUTRAL
