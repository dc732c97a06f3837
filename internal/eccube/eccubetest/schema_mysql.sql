-- EC-CUBE 4.2 schema (MySQL/MariaDB) for the importer's tests.
-- Written from EC-CUBE 4.2.3's Doctrine entities (src/Eccube/Entity/*.php: the @ORM\Table,
-- @ORM\Column and @ORM\JoinColumn annotations, with the types Doctrine's platform maps them to)
-- and its master data (src/Eccube/Resource/doctrine/import_csv/ja/mtb_*.csv), for the tables
-- the import reads. Not EC-CUBE's own file: EC-CUBE creates its schema with doctrine:schema:create.


CREATE TABLE mtb_pref (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_pref (id, name, sort_no, discriminator_type) VALUES
(1, '北海道', 1, 'pref'),
(2, '青森県', 2, 'pref'),
(3, '岩手県', 3, 'pref'),
(4, '宮城県', 4, 'pref'),
(5, '秋田県', 5, 'pref'),
(6, '山形県', 6, 'pref'),
(7, '福島県', 7, 'pref'),
(8, '茨城県', 8, 'pref'),
(9, '栃木県', 9, 'pref'),
(10, '群馬県', 10, 'pref'),
(11, '埼玉県', 11, 'pref'),
(12, '千葉県', 12, 'pref'),
(13, '東京都', 13, 'pref'),
(14, '神奈川県', 14, 'pref'),
(15, '新潟県', 15, 'pref'),
(16, '富山県', 16, 'pref'),
(17, '石川県', 17, 'pref'),
(18, '福井県', 18, 'pref'),
(19, '山梨県', 19, 'pref'),
(20, '長野県', 20, 'pref'),
(21, '岐阜県', 21, 'pref'),
(22, '静岡県', 22, 'pref'),
(23, '愛知県', 23, 'pref'),
(24, '三重県', 24, 'pref'),
(25, '滋賀県', 25, 'pref'),
(26, '京都府', 26, 'pref'),
(27, '大阪府', 27, 'pref'),
(28, '兵庫県', 28, 'pref'),
(29, '奈良県', 29, 'pref'),
(30, '和歌山県', 30, 'pref'),
(31, '鳥取県', 31, 'pref'),
(32, '島根県', 32, 'pref'),
(33, '岡山県', 33, 'pref'),
(34, '広島県', 34, 'pref'),
(35, '山口県', 35, 'pref'),
(36, '徳島県', 36, 'pref'),
(37, '香川県', 37, 'pref'),
(38, '愛媛県', 38, 'pref'),
(39, '高知県', 39, 'pref'),
(40, '福岡県', 40, 'pref'),
(41, '佐賀県', 41, 'pref'),
(42, '長崎県', 42, 'pref'),
(43, '熊本県', 43, 'pref'),
(44, '大分県', 44, 'pref'),
(45, '宮崎県', 45, 'pref'),
(46, '鹿児島県', 46, 'pref'),
(47, '沖縄県', 47, 'pref');

CREATE TABLE mtb_country (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_country (id, name, sort_no, discriminator_type) VALUES
(352, 'アイスランド', 1, 'country'),
(372, 'アイルランド', 2, 'country'),
(31, 'アゼルバイジャン', 3, 'country'),
(4, 'アフガニスタン', 4, 'country'),
(840, 'アメリカ合衆国', 5, 'country'),
(850, 'アメリカ領ヴァージン諸島', 6, 'country'),
(16, 'アメリカ領サモア', 7, 'country'),
(784, 'アラブ首長国連邦', 8, 'country'),
(12, 'アルジェリア', 9, 'country'),
(32, 'アルゼンチン', 10, 'country'),
(533, 'アルバ', 11, 'country'),
(8, 'アルバニア', 12, 'country'),
(51, 'アルメニア', 13, 'country'),
(660, 'アンギラ', 14, 'country'),
(24, 'アンゴラ', 15, 'country'),
(28, 'アンティグア・バーブーダ', 16, 'country'),
(20, 'アンドラ', 17, 'country'),
(887, 'イエメン', 18, 'country'),
(826, 'イギリス', 19, 'country'),
(86, 'イギリス領インド洋地域', 20, 'country'),
(92, 'イギリス領ヴァージン諸島', 21, 'country'),
(376, 'イスラエル', 22, 'country'),
(380, 'イタリア', 23, 'country'),
(368, 'イラク', 24, 'country'),
(364, 'イラン|イラン・イスラム共和国', 25, 'country'),
(356, 'インド', 26, 'country'),
(360, 'インドネシア', 27, 'country'),
(876, 'ウォリス・フツナ', 28, 'country'),
(800, 'ウガンダ', 29, 'country'),
(804, 'ウクライナ', 30, 'country'),
(860, 'ウズベキスタン', 31, 'country'),
(858, 'ウルグアイ', 32, 'country'),
(218, 'エクアドル', 33, 'country'),
(818, 'エジプト', 34, 'country'),
(233, 'エストニア', 35, 'country'),
(231, 'エチオピア', 36, 'country'),
(232, 'エリトリア', 37, 'country'),
(222, 'エルサルバドル', 38, 'country'),
(36, 'オーストラリア', 39, 'country'),
(40, 'オーストリア', 40, 'country'),
(248, 'オーランド諸島', 41, 'country'),
(512, 'オマーン', 42, 'country'),
(528, 'オランダ', 43, 'country'),
(288, 'ガーナ', 44, 'country'),
(132, 'カーボベルデ', 45, 'country'),
(831, 'ガーンジー', 46, 'country'),
(328, 'ガイアナ', 47, 'country'),
(398, 'カザフスタン', 48, 'country'),
(634, 'カタール', 49, 'country'),
(581, '合衆国領有小離島', 50, 'country'),
(124, 'カナダ', 51, 'country'),
(266, 'ガボン', 52, 'country'),
(120, 'カメルーン', 53, 'country'),
(270, 'ガンビア', 54, 'country'),
(116, 'カンボジア', 55, 'country'),
(580, '北マリアナ諸島', 56, 'country'),
(324, 'ギニア', 57, 'country'),
(624, 'ギニアビサウ', 58, 'country'),
(196, 'キプロス', 59, 'country'),
(192, 'キューバ', 60, 'country'),
(531, 'キュラソー島|キュラソー', 61, 'country'),
(300, 'ギリシャ', 62, 'country'),
(296, 'キリバス', 63, 'country'),
(417, 'キルギス', 64, 'country'),
(320, 'グアテマラ', 65, 'country'),
(312, 'グアドループ', 66, 'country'),
(316, 'グアム', 67, 'country'),
(414, 'クウェート', 68, 'country'),
(184, 'クック諸島', 69, 'country'),
(304, 'グリーンランド', 70, 'country'),
(162, 'クリスマス島 (オーストラリア)|クリスマス島', 71, 'country'),
(268, 'グルジア', 72, 'country'),
(308, 'グレナダ', 73, 'country'),
(191, 'クロアチア', 74, 'country'),
(136, 'ケイマン諸島', 75, 'country'),
(404, 'ケニア', 76, 'country'),
(384, 'コートジボワール', 77, 'country'),
(166, 'ココス諸島|ココス（キーリング）諸島', 78, 'country'),
(188, 'コスタリカ', 79, 'country'),
(174, 'コモロ', 80, 'country'),
(170, 'コロンビア', 81, 'country'),
(178, 'コンゴ共和国', 82, 'country'),
(180, 'コンゴ民主共和国', 83, 'country'),
(682, 'サウジアラビア', 84, 'country'),
(239, 'サウスジョージア・サウスサンドウィッチ諸島', 85, 'country'),
(882, 'サモア', 86, 'country'),
(678, 'サントメ・プリンシペ', 87, 'country'),
(652, 'サン・バルテルミー島|サン・バルテルミー', 88, 'country'),
(894, 'ザンビア', 89, 'country'),
(666, 'サンピエール島・ミクロン島', 90, 'country'),
(674, 'サンマリノ', 91, 'country'),
(663, 'サン・マルタン (西インド諸島)|サン・マルタン（フランス領）', 92, 'country'),
(694, 'シエラレオネ', 93, 'country'),
(262, 'ジブチ', 94, 'country'),
(292, 'ジブラルタル', 95, 'country'),
(832, 'ジャージー', 96, 'country'),
(388, 'ジャマイカ', 97, 'country'),
(760, 'シリア|シリア・アラブ共和国', 98, 'country'),
(702, 'シンガポール', 99, 'country'),
(534, 'シント・マールテン|シント・マールテン（オランダ領）', 100, 'country'),
(716, 'ジンバブエ', 101, 'country'),
(756, 'スイス', 102, 'country'),
(752, 'スウェーデン', 103, 'country'),
(729, 'スーダン', 104, 'country'),
(744, 'スヴァールバル諸島およびヤンマイエン島', 105, 'country'),
(724, 'スペイン', 106, 'country'),
(740, 'スリナム', 107, 'country'),
(144, 'スリランカ', 108, 'country'),
(703, 'スロバキア', 109, 'country'),
(705, 'スロベニア', 110, 'country'),
(748, 'スワジランド', 111, 'country'),
(690, 'セーシェル', 112, 'country'),
(226, '赤道ギニア', 113, 'country'),
(686, 'セネガル', 114, 'country'),
(688, 'セルビア', 115, 'country'),
(659, 'セントクリストファー・ネイビス', 116, 'country'),
(670, 'セントビンセント・グレナディーン|セントビンセントおよびグレナディーン諸島', 117, 'country'),
(426, 'レソト', 246, 'country'),
(654, 'セントヘレナ・アセンションおよびトリスタンダクーニャ', 118, 'country'),
(662, 'セントルシア', 119, 'country'),
(706, 'ソマリア', 120, 'country'),
(90, 'ソロモン諸島', 121, 'country'),
(796, 'タークス・カイコス諸島', 122, 'country'),
(764, 'タイ王国|タイ', 123, 'country'),
(410, '大韓民国', 124, 'country'),
(158, '台湾', 125, 'country'),
(762, 'タジキスタン', 126, 'country'),
(834, 'タンザニア', 127, 'country'),
(203, 'チェコ', 128, 'country'),
(148, 'チャド', 129, 'country'),
(140, '中央アフリカ共和国', 130, 'country'),
(156, '中華人民共和国|中国', 131, 'country'),
(788, 'チュニジア', 132, 'country'),
(408, '朝鮮民主主義人民共和国', 133, 'country'),
(152, 'チリ', 134, 'country'),
(798, 'ツバル', 135, 'country'),
(208, 'デンマーク', 136, 'country'),
(276, 'ドイツ', 137, 'country'),
(768, 'トーゴ', 138, 'country'),
(772, 'トケラウ', 139, 'country'),
(214, 'ドミニカ共和国', 140, 'country'),
(212, 'ドミニカ国', 141, 'country'),
(780, 'トリニダード・トバゴ', 142, 'country'),
(795, 'トルクメニスタン', 143, 'country'),
(792, 'トルコ', 144, 'country'),
(776, 'トンガ', 145, 'country'),
(566, 'ナイジェリア', 146, 'country'),
(520, 'ナウル', 147, 'country'),
(516, 'ナミビア', 148, 'country'),
(10, '南極', 149, 'country'),
(570, 'ニウエ', 150, 'country'),
(558, 'ニカラグア', 151, 'country'),
(562, 'ニジェール', 152, 'country'),
(392, '日本', 153, 'country'),
(732, '西サハラ', 154, 'country'),
(540, 'ニューカレドニア', 155, 'country'),
(554, 'ニュージーランド', 156, 'country'),
(524, 'ネパール', 157, 'country'),
(574, 'ノーフォーク島', 158, 'country'),
(578, 'ノルウェー', 159, 'country'),
(334, 'ハード島とマクドナルド諸島', 160, 'country'),
(48, 'バーレーン', 161, 'country'),
(332, 'ハイチ', 162, 'country'),
(586, 'パキスタン', 163, 'country'),
(336, 'バチカン|バチカン市国', 164, 'country'),
(591, 'パナマ', 165, 'country'),
(548, 'バヌアツ', 166, 'country'),
(44, 'バハマ', 167, 'country'),
(598, 'パプアニューギニア', 168, 'country'),
(60, 'バミューダ諸島|バミューダ', 169, 'country'),
(585, 'パラオ', 170, 'country'),
(600, 'パラグアイ', 171, 'country'),
(52, 'バルバドス', 172, 'country'),
(275, 'パレスチナ', 173, 'country'),
(348, 'ハンガリー', 174, 'country'),
(50, 'バングラデシュ', 175, 'country'),
(626, '東ティモール', 176, 'country'),
(612, 'ピトケアン諸島|ピトケアン', 177, 'country'),
(242, 'フィジー', 178, 'country'),
(608, 'フィリピン', 179, 'country'),
(246, 'フィンランド', 180, 'country'),
(64, 'ブータン', 181, 'country'),
(74, 'ブーベ島', 182, 'country'),
(630, 'プエルトリコ', 183, 'country'),
(234, 'フェロー諸島', 184, 'country'),
(238, 'フォークランド諸島|フォークランド（マルビナス）諸島', 185, 'country'),
(76, 'ブラジル', 186, 'country'),
(250, 'フランス', 187, 'country'),
(254, 'フランス領ギアナ', 188, 'country'),
(258, 'フランス領ポリネシア', 189, 'country'),
(260, 'フランス領南方・南極地域', 190, 'country'),
(100, 'ブルガリア', 191, 'country'),
(854, 'ブルキナファソ', 192, 'country'),
(96, 'ブルネイ|ブルネイ・ダルサラーム', 193, 'country'),
(108, 'ブルンジ', 194, 'country'),
(704, 'ベトナム', 195, 'country'),
(204, 'ベナン', 196, 'country'),
(862, 'ベネズエラ|ベネズエラ・ボリバル共和国', 197, 'country'),
(112, 'ベラルーシ', 198, 'country'),
(84, 'ベリーズ', 199, 'country'),
(604, 'ペルー', 200, 'country'),
(56, 'ベルギー', 201, 'country'),
(616, 'ポーランド', 202, 'country'),
(70, 'ボスニア・ヘルツェゴビナ', 203, 'country'),
(72, 'ボツワナ', 204, 'country'),
(535, 'BES諸島|ボネール、シント・ユースタティウスおよびサバ', 205, 'country'),
(68, 'ボリビア|ボリビア多民族国', 206, 'country'),
(620, 'ポルトガル', 207, 'country'),
(344, '香港', 208, 'country'),
(340, 'ホンジュラス', 209, 'country'),
(584, 'マーシャル諸島', 210, 'country'),
(446, 'マカオ', 211, 'country'),
(807, 'マケドニア共和国|マケドニア旧ユーゴスラビア共和国', 212, 'country'),
(450, 'マダガスカル', 213, 'country'),
(175, 'マヨット', 214, 'country'),
(454, 'マラウイ', 215, 'country'),
(466, 'マリ共和国|マリ', 216, 'country'),
(470, 'マルタ', 217, 'country'),
(474, 'マルティニーク', 218, 'country'),
(458, 'マレーシア', 219, 'country'),
(833, 'マン島', 220, 'country'),
(583, 'ミクロネシア連邦', 221, 'country'),
(710, '南アフリカ共和国|南アフリカ', 222, 'country'),
(728, '南スーダン', 223, 'country'),
(104, 'ミャンマー', 224, 'country'),
(484, 'メキシコ', 225, 'country'),
(480, 'モーリシャス', 226, 'country'),
(478, 'モーリタニア', 227, 'country'),
(508, 'モザンビーク', 228, 'country'),
(492, 'モナコ', 229, 'country'),
(462, 'モルディブ', 230, 'country'),
(498, 'モルドバ|モルドバ共和国', 231, 'country'),
(504, 'モロッコ', 232, 'country'),
(496, 'モンゴル国|モンゴル', 233, 'country'),
(499, 'モンテネグロ', 234, 'country'),
(500, 'モントセラト', 235, 'country'),
(400, 'ヨルダン', 236, 'country'),
(418, 'ラオス|ラオス人民民主共和国', 237, 'country'),
(428, 'ラトビア', 238, 'country'),
(440, 'リトアニア', 239, 'country'),
(434, 'リビア', 240, 'country'),
(438, 'リヒテンシュタイン', 241, 'country'),
(430, 'リベリア', 242, 'country'),
(642, 'ルーマニア', 243, 'country'),
(442, 'ルクセンブルク', 244, 'country'),
(646, 'ルワンダ', 245, 'country'),
(422, 'レバノン', 247, 'country'),
(638, 'レユニオン', 248, 'country'),
(643, 'ロシア|ロシア連邦', 249, 'country');

CREATE TABLE mtb_sex (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_sex (id, name, sort_no, discriminator_type) VALUES
(1, '男性', 0, 'sex'),
(2, '女性', 1, 'sex'),
(3, 'その他', 2, 'sex'),
(4, '回答しない', 3, 'sex');

CREATE TABLE mtb_job (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_job (id, name, sort_no, discriminator_type) VALUES
(1, '公務員', 0, 'job'),
(2, 'コンサルタント', 1, 'job'),
(3, 'コンピューター関連技術職', 2, 'job'),
(4, 'コンピューター関連以外の技術職', 3, 'job'),
(5, '金融関係', 4, 'job'),
(6, '医師', 5, 'job'),
(7, '弁護士', 6, 'job'),
(8, '総務・人事・事務', 7, 'job'),
(9, '営業・販売', 8, 'job'),
(10, '研究・開発', 9, 'job'),
(11, '広報・宣伝', 10, 'job'),
(12, '企画・マーケティング', 11, 'job'),
(13, 'デザイン関係', 12, 'job'),
(14, '会社経営・役員', 13, 'job'),
(15, '出版・マスコミ関係', 14, 'job'),
(16, '学生・フリーター', 15, 'job'),
(17, '主婦', 16, 'job'),
(18, 'その他', 17, 'job');

CREATE TABLE mtb_customer_status (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_customer_status (id, name, sort_no, discriminator_type) VALUES
(1, '仮会員', 0, 'customerstatus'),
(2, '本会員', 1, 'customerstatus'),
(3, '退会', 2, 'customerstatus');

CREATE TABLE mtb_product_status (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_product_status (id, name, sort_no, discriminator_type) VALUES
(1, '公開', 0, 'productstatus'),
(2, '非公開', 1, 'productstatus'),
(3, '廃止', 2, 'productstatus');

CREATE TABLE mtb_sale_type (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_sale_type (id, name, sort_no, discriminator_type) VALUES
(1, '販売種別A', 0, 'saletype'),
(2, '販売種別B', 1, 'saletype');

CREATE TABLE mtb_order_status (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    display_order_count TINYINT(1) NOT NULL DEFAULT 0,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_order_status (id, name, sort_no, display_order_count, discriminator_type) VALUES
(1, '新規受付', 0, 1, 'orderstatus'),
(3, '注文取消し', 3, 0, 'orderstatus'),
(4, '対応中', 2, 1, 'orderstatus'),
(5, '発送済み', 4, 0, 'orderstatus'),
(6, '入金済み', 1, 1, 'orderstatus'),
(7, '決済処理中', 6, 0, 'orderstatus'),
(8, '購入処理中', 5, 0, 'orderstatus'),
(9, '返品', 7, 0, 'orderstatus');

CREATE TABLE mtb_order_item_type (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_order_item_type (id, name, sort_no, discriminator_type) VALUES
(1, '商品', 0, 'orderitemtype'),
(2, '送料', 1, 'orderitemtype'),
(3, '手数料', 2, 'orderitemtype'),
(4, '割引', 3, 'orderitemtype'),
(5, '税', 4, 'orderitemtype'),
(6, 'ポイント', 5, 'orderitemtype');

CREATE TABLE mtb_tax_type (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_tax_type (id, name, sort_no, discriminator_type) VALUES
(1, '課税', 0, 'taxtype'),
(2, '不課税', 1, 'taxtype'),
(3, '非課税', 2, 'taxtype');

CREATE TABLE mtb_tax_display_type (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_tax_display_type (id, name, sort_no, discriminator_type) VALUES
(1, '税抜', 0, 'taxdisplaytype'),
(2, '税込', 1, 'taxdisplaytype');

CREATE TABLE mtb_rounding_type (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_rounding_type (id, name, sort_no, discriminator_type) VALUES
(1, '四捨五入', 0, 'roundingtype'),
(2, '切り捨て', 1, 'roundingtype'),
(3, '切り上げ', 2, 'roundingtype');

CREATE TABLE mtb_device_type (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_device_type (id, name, sort_no, discriminator_type) VALUES
(2, 'モバイル', 0, 'devicetype'),
(10, 'PC', 1, 'devicetype');

CREATE TABLE mtb_work (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_work (id, name, sort_no, discriminator_type) VALUES
(0, '非稼働', 0, 'work'),
(1, '稼働', 1, 'work');

CREATE TABLE mtb_authority (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_authority (id, name, sort_no, discriminator_type) VALUES
(0, 'システム管理者', 0, 'authority'),
(1, '店舗オーナー', 1, 'authority');

CREATE TABLE mtb_customer_order_status (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_customer_order_status (id, name, sort_no, discriminator_type) VALUES
(1, '注文受付', 0, 'customerorderstatus'),
(3, '注文取消し', 4, 'customerorderstatus'),
(4, '注文受付', 3, 'customerorderstatus'),
(5, '発送済み', 6, 'customerorderstatus'),
(6, '注文受付', 2, 'customerorderstatus'),
(7, '注文受付', 1, 'customerorderstatus'),
(8, '注文未完了', 5, 'customerorderstatus'),
(9, '返品', 7, 'customerorderstatus');

CREATE TABLE mtb_order_status_color (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_order_status_color (id, name, sort_no, discriminator_type) VALUES
(1, '#437ec4', 0, 'orderstatuscolor'),
(3, '#C04949', 3, 'orderstatuscolor'),
(4, '#EEB128', 2, 'orderstatuscolor'),
(5, '#25B877', 4, 'orderstatuscolor'),
(6, '#25B877', 1, 'orderstatuscolor'),
(7, '#A3A3A3', 6, 'orderstatuscolor'),
(8, '#A3A3A3', 5, 'orderstatuscolor'),
(9, '#C04949', 7, 'orderstatuscolor');

CREATE TABLE mtb_login_history_status (
    id SMALLINT UNSIGNED NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO mtb_login_history_status (id, name, sort_no, discriminator_type) VALUES
(0, '失敗', 0, 'loginhistorystatus'),
(1, '成功', 1, 'loginhistorystatus');

CREATE TABLE dtb_member (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name VARCHAR(255),
    department VARCHAR(255),
    login_id VARCHAR(255) NOT NULL,
    password VARCHAR(255) NOT NULL,
    salt VARCHAR(255),
    sort_no SMALLINT UNSIGNED NOT NULL,
    two_factor_auth_key VARCHAR(255),
    two_factor_auth_enabled TINYINT(1) NOT NULL DEFAULT 0,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    login_date DATETIME,
    work_id SMALLINT UNSIGNED,
    authority_id SMALLINT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (work_id) REFERENCES mtb_work (id),
    FOREIGN KEY (authority_id) REFERENCES mtb_authority (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_base_info (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    company_name VARCHAR(255),
    company_kana VARCHAR(255),
    postal_code VARCHAR(8),
    addr01 VARCHAR(255),
    addr02 VARCHAR(255),
    phone_number VARCHAR(14),
    business_hour VARCHAR(255),
    email01 VARCHAR(255),
    email02 VARCHAR(255),
    email03 VARCHAR(255),
    email04 VARCHAR(255),
    shop_name VARCHAR(255),
    shop_kana VARCHAR(255),
    shop_name_eng VARCHAR(255),
    update_date DATETIME NOT NULL,
    good_traded VARCHAR(4000),
    message VARCHAR(4000),
    delivery_free_amount DECIMAL(12,2) UNSIGNED,
    delivery_free_quantity INT UNSIGNED,
    option_mypage_order_status_display TINYINT(1) NOT NULL DEFAULT 1,
    option_nostock_hidden TINYINT(1) NOT NULL DEFAULT 0,
    option_favorite_product TINYINT(1) NOT NULL DEFAULT 1,
    option_product_delivery_fee TINYINT(1) NOT NULL DEFAULT 0,
    invoice_registration_number VARCHAR(255),
    option_product_tax_rule TINYINT(1) NOT NULL DEFAULT 0,
    option_customer_activate TINYINT(1) NOT NULL DEFAULT 1,
    option_remember_me TINYINT(1) NOT NULL DEFAULT 1,
    option_mail_notifier TINYINT(1) NOT NULL DEFAULT 0,
    authentication_key VARCHAR(255),
    php_path VARCHAR(255),
    option_point TINYINT(1) NOT NULL DEFAULT 1,
    basic_point_rate DECIMAL(10,0) UNSIGNED DEFAULT 1,
    point_conversion_rate DECIMAL(10,0) UNSIGNED DEFAULT 1,
    country_id SMALLINT UNSIGNED,
    pref_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (country_id) REFERENCES mtb_country (id),
    FOREIGN KEY (pref_id) REFERENCES mtb_pref (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_category (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    category_name VARCHAR(255) NOT NULL,
    hierarchy INT UNSIGNED NOT NULL,
    sort_no INT NOT NULL,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    parent_category_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (parent_category_id) REFERENCES dtb_category (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_tag (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_class_name (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    backend_name VARCHAR(255),
    name VARCHAR(255) NOT NULL,
    sort_no INT UNSIGNED NOT NULL,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_class_category (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    backend_name VARCHAR(255),
    name VARCHAR(255) NOT NULL,
    sort_no INT UNSIGNED NOT NULL,
    visible TINYINT(1) NOT NULL DEFAULT 1,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    class_name_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (class_name_id) REFERENCES dtb_class_name (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_delivery_duration (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name VARCHAR(255),
    duration SMALLINT NOT NULL DEFAULT 0,
    sort_no INT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_product (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name VARCHAR(255) NOT NULL,
    note LONGTEXT,
    description_list LONGTEXT,
    description_detail LONGTEXT,
    search_word LONGTEXT,
    free_area LONGTEXT,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    creator_id INT UNSIGNED,
    product_status_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id),
    FOREIGN KEY (product_status_id) REFERENCES mtb_product_status (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_product_class (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    product_code VARCHAR(255),
    stock DECIMAL(10,0),
    stock_unlimited TINYINT(1) NOT NULL DEFAULT 0,
    sale_limit DECIMAL(10,0) UNSIGNED,
    price01 DECIMAL(12,2),
    price02 DECIMAL(12,2) NOT NULL,
    delivery_fee DECIMAL(12,2) UNSIGNED,
    visible TINYINT(1) NOT NULL DEFAULT 1,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    currency_code VARCHAR(255),
    point_rate DECIMAL(10,0) UNSIGNED,
    product_id INT UNSIGNED,
    sale_type_id SMALLINT UNSIGNED,
    class_category_id1 INT UNSIGNED,
    class_category_id2 INT UNSIGNED,
    delivery_duration_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (product_id) REFERENCES dtb_product (id),
    FOREIGN KEY (sale_type_id) REFERENCES mtb_sale_type (id),
    FOREIGN KEY (class_category_id1) REFERENCES dtb_class_category (id),
    FOREIGN KEY (class_category_id2) REFERENCES dtb_class_category (id),
    FOREIGN KEY (delivery_duration_id) REFERENCES dtb_delivery_duration (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_product_stock (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    stock DECIMAL(10,0),
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    product_class_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (product_class_id) REFERENCES dtb_product_class (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_product_image (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    file_name VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    create_date DATETIME NOT NULL,
    product_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (product_id) REFERENCES dtb_product (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_product_category (
    product_id INT UNSIGNED NOT NULL,
    category_id INT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (product_id, category_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_product_tag (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    create_date DATETIME NOT NULL,
    product_id INT UNSIGNED,
    tag_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (product_id) REFERENCES dtb_product (id),
    FOREIGN KEY (tag_id) REFERENCES dtb_tag (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_tax_rule (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    tax_rate DECIMAL(10,0) UNSIGNED NOT NULL DEFAULT 0,
    tax_adjust DECIMAL(10,0) UNSIGNED NOT NULL DEFAULT 0,
    apply_date DATETIME NOT NULL,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    product_class_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    country_id SMALLINT UNSIGNED,
    pref_id SMALLINT UNSIGNED,
    product_id INT UNSIGNED,
    rounding_type_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (product_class_id) REFERENCES dtb_product_class (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id),
    FOREIGN KEY (country_id) REFERENCES mtb_country (id),
    FOREIGN KEY (pref_id) REFERENCES mtb_pref (id),
    FOREIGN KEY (product_id) REFERENCES dtb_product (id),
    FOREIGN KEY (rounding_type_id) REFERENCES mtb_rounding_type (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_customer (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name01 VARCHAR(255) NOT NULL,
    name02 VARCHAR(255) NOT NULL,
    kana01 VARCHAR(255),
    kana02 VARCHAR(255),
    company_name VARCHAR(255),
    postal_code VARCHAR(8),
    addr01 VARCHAR(255),
    addr02 VARCHAR(255),
    email VARCHAR(255) NOT NULL,
    phone_number VARCHAR(14),
    birth DATETIME,
    password VARCHAR(255) NOT NULL,
    salt VARCHAR(255),
    secret_key VARCHAR(255) NOT NULL,
    first_buy_date DATETIME,
    last_buy_date DATETIME,
    buy_times DECIMAL(10,0) UNSIGNED DEFAULT 0,
    buy_total DECIMAL(12,2) UNSIGNED DEFAULT 0,
    note VARCHAR(4000),
    reset_key VARCHAR(255),
    reset_expire DATETIME,
    point DECIMAL(12,0) NOT NULL DEFAULT 0,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    customer_status_id SMALLINT UNSIGNED,
    sex_id SMALLINT UNSIGNED,
    job_id SMALLINT UNSIGNED,
    country_id SMALLINT UNSIGNED,
    pref_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (customer_status_id) REFERENCES mtb_customer_status (id),
    FOREIGN KEY (sex_id) REFERENCES mtb_sex (id),
    FOREIGN KEY (job_id) REFERENCES mtb_job (id),
    FOREIGN KEY (country_id) REFERENCES mtb_country (id),
    FOREIGN KEY (pref_id) REFERENCES mtb_pref (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_customer_address (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name01 VARCHAR(255) NOT NULL,
    name02 VARCHAR(255) NOT NULL,
    kana01 VARCHAR(255),
    kana02 VARCHAR(255),
    company_name VARCHAR(255),
    postal_code VARCHAR(8),
    addr01 VARCHAR(255),
    addr02 VARCHAR(255),
    phone_number VARCHAR(14),
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    customer_id INT UNSIGNED,
    country_id SMALLINT UNSIGNED,
    pref_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (customer_id) REFERENCES dtb_customer (id),
    FOREIGN KEY (country_id) REFERENCES mtb_country (id),
    FOREIGN KEY (pref_id) REFERENCES mtb_pref (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_delivery (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name VARCHAR(255),
    service_name VARCHAR(255),
    description VARCHAR(4000),
    confirm_url VARCHAR(4000),
    sort_no INT UNSIGNED,
    visible TINYINT(1) NOT NULL DEFAULT 1,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    creator_id INT UNSIGNED,
    sale_type_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id),
    FOREIGN KEY (sale_type_id) REFERENCES mtb_sale_type (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_delivery_fee (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    fee DECIMAL(12,2) UNSIGNED NOT NULL,
    delivery_id INT UNSIGNED,
    pref_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (delivery_id) REFERENCES dtb_delivery (id),
    FOREIGN KEY (pref_id) REFERENCES mtb_pref (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_delivery_time (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    delivery_time VARCHAR(255) NOT NULL,
    sort_no SMALLINT UNSIGNED NOT NULL,
    visible TINYINT(1) NOT NULL DEFAULT 1,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    delivery_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (delivery_id) REFERENCES dtb_delivery (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_payment (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    payment_method VARCHAR(255),
    charge DECIMAL(12,2) UNSIGNED DEFAULT 0,
    rule_max DECIMAL(12,2) UNSIGNED,
    sort_no SMALLINT UNSIGNED,
    fixed TINYINT(1) NOT NULL DEFAULT 1,
    payment_image VARCHAR(255),
    rule_min DECIMAL(12,2) UNSIGNED,
    method_class VARCHAR(255),
    visible TINYINT(1) NOT NULL DEFAULT 1,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_payment_option (
    delivery_id INT UNSIGNED NOT NULL,
    payment_id INT UNSIGNED NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (delivery_id, payment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_order (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    pre_order_id VARCHAR(255),
    order_no VARCHAR(255),
    message VARCHAR(4000),
    name01 VARCHAR(255) NOT NULL,
    name02 VARCHAR(255) NOT NULL,
    kana01 VARCHAR(255),
    kana02 VARCHAR(255),
    company_name VARCHAR(255),
    email VARCHAR(255),
    phone_number VARCHAR(14),
    postal_code VARCHAR(8),
    addr01 VARCHAR(255),
    addr02 VARCHAR(255),
    birth DATETIME,
    subtotal DECIMAL(12,2) UNSIGNED NOT NULL DEFAULT 0,
    discount DECIMAL(12,2) UNSIGNED NOT NULL DEFAULT 0,
    delivery_fee_total DECIMAL(12,2) UNSIGNED NOT NULL DEFAULT 0,
    charge DECIMAL(12,2) UNSIGNED NOT NULL DEFAULT 0,
    tax DECIMAL(12,2) UNSIGNED NOT NULL DEFAULT 0,
    total DECIMAL(12,2) UNSIGNED NOT NULL DEFAULT 0,
    payment_total DECIMAL(12,2) UNSIGNED NOT NULL DEFAULT 0,
    payment_method VARCHAR(255),
    note VARCHAR(4000),
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    order_date DATETIME,
    payment_date DATETIME,
    currency_code VARCHAR(255),
    complete_message LONGTEXT,
    complete_mail_message LONGTEXT,
    add_point DECIMAL(12,0) UNSIGNED NOT NULL DEFAULT 0,
    use_point DECIMAL(12,0) UNSIGNED NOT NULL DEFAULT 0,
    customer_id INT UNSIGNED,
    country_id SMALLINT UNSIGNED,
    pref_id SMALLINT UNSIGNED,
    sex_id SMALLINT UNSIGNED,
    job_id SMALLINT UNSIGNED,
    payment_id INT UNSIGNED,
    device_type_id SMALLINT UNSIGNED,
    order_status_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (customer_id) REFERENCES dtb_customer (id),
    FOREIGN KEY (country_id) REFERENCES mtb_country (id),
    FOREIGN KEY (pref_id) REFERENCES mtb_pref (id),
    FOREIGN KEY (sex_id) REFERENCES mtb_sex (id),
    FOREIGN KEY (job_id) REFERENCES mtb_job (id),
    FOREIGN KEY (payment_id) REFERENCES dtb_payment (id),
    FOREIGN KEY (device_type_id) REFERENCES mtb_device_type (id),
    FOREIGN KEY (order_status_id) REFERENCES mtb_customer_order_status (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_shipping (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name01 VARCHAR(255) NOT NULL,
    name02 VARCHAR(255) NOT NULL,
    kana01 VARCHAR(255),
    kana02 VARCHAR(255),
    company_name VARCHAR(255),
    phone_number VARCHAR(14),
    postal_code VARCHAR(8),
    addr01 VARCHAR(255),
    addr02 VARCHAR(255),
    delivery_name VARCHAR(255),
    time_id INT UNSIGNED,
    delivery_time VARCHAR(255),
    delivery_date DATETIME,
    shipping_date DATETIME,
    tracking_number VARCHAR(255),
    note VARCHAR(4000),
    sort_no SMALLINT UNSIGNED,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    mail_send_date DATETIME,
    order_id INT UNSIGNED,
    country_id SMALLINT UNSIGNED,
    pref_id SMALLINT UNSIGNED,
    delivery_id INT UNSIGNED,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (order_id) REFERENCES dtb_order (id),
    FOREIGN KEY (country_id) REFERENCES mtb_country (id),
    FOREIGN KEY (pref_id) REFERENCES mtb_pref (id),
    FOREIGN KEY (delivery_id) REFERENCES dtb_delivery (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_order_item (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    product_name VARCHAR(255) NOT NULL,
    product_code VARCHAR(255),
    class_name1 VARCHAR(255),
    class_name2 VARCHAR(255),
    class_category_name1 VARCHAR(255),
    class_category_name2 VARCHAR(255),
    price DECIMAL(12,2) NOT NULL DEFAULT 0,
    quantity DECIMAL(10,0) NOT NULL DEFAULT 0,
    tax DECIMAL(10,0) NOT NULL DEFAULT 0,
    tax_rate DECIMAL(10,0) UNSIGNED NOT NULL DEFAULT 0,
    tax_adjust DECIMAL(10,0) UNSIGNED NOT NULL DEFAULT 0,
    tax_rule_id SMALLINT UNSIGNED,
    currency_code VARCHAR(255),
    processor_name VARCHAR(255),
    order_id INT UNSIGNED,
    product_id INT UNSIGNED,
    product_class_id INT UNSIGNED,
    shipping_id INT UNSIGNED,
    rounding_type_id SMALLINT UNSIGNED,
    tax_type_id SMALLINT UNSIGNED,
    tax_display_type_id SMALLINT UNSIGNED,
    order_item_type_id SMALLINT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (order_id) REFERENCES dtb_order (id),
    FOREIGN KEY (product_id) REFERENCES dtb_product (id),
    FOREIGN KEY (product_class_id) REFERENCES dtb_product_class (id),
    FOREIGN KEY (shipping_id) REFERENCES dtb_shipping (id),
    FOREIGN KEY (rounding_type_id) REFERENCES mtb_rounding_type (id),
    FOREIGN KEY (tax_type_id) REFERENCES mtb_tax_type (id),
    FOREIGN KEY (tax_display_type_id) REFERENCES mtb_tax_display_type (id),
    FOREIGN KEY (order_item_type_id) REFERENCES mtb_order_item_type (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_news (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    publish_date DATETIME,
    title VARCHAR(255) NOT NULL,
    description LONGTEXT,
    url VARCHAR(4000),
    link_method TINYINT(1) NOT NULL DEFAULT 0,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    visible TINYINT(1) NOT NULL DEFAULT 1,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_page (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    page_name VARCHAR(255),
    url VARCHAR(255) NOT NULL,
    file_name VARCHAR(255),
    edit_type SMALLINT UNSIGNED NOT NULL DEFAULT 1,
    author VARCHAR(255),
    description VARCHAR(255),
    keyword VARCHAR(255),
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    meta_robots VARCHAR(255),
    meta_tags VARCHAR(4000),
    master_page_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (master_page_id) REFERENCES dtb_page (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_mail_template (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name VARCHAR(255),
    file_name VARCHAR(255),
    mail_subject VARCHAR(255),
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    creator_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (creator_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_tradelaw (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    name VARCHAR(255),
    description VARCHAR(4000),
    sort_no SMALLINT NOT NULL,
    display_order_screen TINYINT(1) NOT NULL,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE dtb_login_history (
    id INT UNSIGNED AUTO_INCREMENT NOT NULL,
    user_name LONGTEXT,
    client_ip LONGTEXT,
    create_date DATETIME NOT NULL,
    update_date DATETIME NOT NULL,
    login_history_status_id SMALLINT UNSIGNED NOT NULL,
    member_id INT UNSIGNED,
    discriminator_type VARCHAR(255) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (login_history_status_id) REFERENCES mtb_login_history_status (id),
    FOREIGN KEY (member_id) REFERENCES dtb_member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
