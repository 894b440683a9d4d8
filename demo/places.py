"""Bình Phước reference data for the demo: district-level units (real names, GSO-style
codes, approximate seats), their communes, roads and tourist sites.  Boundaries are
synthetic (Voronoi cells inside a hand-drawn province outline), not official."""

# (lon, lat) outline of the province, clockwise from the west; about 7,000 km².
PROVINCE_OUTLINE = [
    (106.40, 11.62), (106.45, 11.78), (106.52, 11.93), (106.62, 12.03), (106.72, 12.08),
    (106.82, 12.13), (106.95, 12.17), (107.05, 12.27), (107.17, 12.25), (107.25, 12.11),
    (107.35, 12.01), (107.45, 11.90), (107.48, 11.75), (107.42, 11.62), (107.30, 11.50),
    (107.15, 11.42), (107.02, 11.35), (106.92, 11.32), (106.80, 11.35), (106.70, 11.31),
    (106.60, 11.35), (106.52, 11.44), (106.45, 11.52), (106.40, 11.62),
]

PROVINCE = {"code": "70", "name": "Bình Phước", "name_en": "Binh Phuoc", "kind": "Tỉnh"}

# code, kind, name, name_en, seat (lon, lat), Voronoi generator (lon, lat), communes
# (the first commune holds the seat; "P." phường, "TT." thị trấn, otherwise xã).
DISTRICTS = [
    ("689", "Thành phố", "Đồng Xoài", "Dong Xoai", (106.883, 11.535), (106.89, 11.545),
     ["P. Tân Phú", "P. Tân Đồng", "P. Tân Bình", "P. Tân Xuân", "P. Tân Thiện", "P. Tiến Thành",
      "Tiến Hưng", "Tân Thành"]),
    ("691", "Thị xã", "Phước Long", "Phuoc Long", (106.985, 11.836), (106.99, 11.83),
     ["P. Long Phước", "P. Long Thủy", "P. Phước Bình", "P. Sơn Giang", "P. Thác Mơ",
      "Long Giang", "Phước Tín"]),
    ("692", "Thị xã", "Bình Long", "Binh Long", (106.607, 11.651), (106.60, 11.675),
     ["P. An Lộc", "P. Hưng Chiến", "P. Phú Đức", "P. Phú Thịnh", "Thanh Lương", "Thanh Phú"]),
    ("693", "Huyện", "Bù Gia Mập", "Bu Gia Map", (107.030, 11.945), (107.08, 12.02),
     ["Phú Nghĩa", "Bình Thắng", "Bù Gia Mập", "Đa Kia", "Đak Ơ", "Đức Hạnh", "Phú Văn",
      "Phước Minh"]),
    ("694", "Huyện", "Lộc Ninh", "Loc Ninh", (106.590, 11.840), (106.57, 11.87),
     ["TT. Lộc Ninh", "Lộc An", "Lộc Điền", "Lộc Hiệp", "Lộc Hòa", "Lộc Hưng", "Lộc Khánh",
      "Lộc Phú", "Lộc Quang", "Lộc Thạnh", "Lộc Thái", "Lộc Thành", "Lộc Thiện", "Lộc Thuận",
      "Lộc Tấn", "Lộc Thịnh"]),
    ("695", "Huyện", "Bù Đốp", "Bu Dop", (106.830, 11.985), (106.82, 12.04),
     ["TT. Thanh Bình", "Hưng Phước", "Phước Thiện", "Tân Thành", "Tân Tiến", "Thanh Hòa",
      "Thiện Hưng"]),
    ("696", "Huyện", "Hớn Quản", "Hon Quan", (106.690, 11.585), (106.72, 11.60),
     ["TT. Tân Khai", "An Khương", "An Phú", "Đồng Nơ", "Minh Đức", "Minh Tâm", "Phước An",
      "Tân Hiệp", "Tân Hưng", "Tân Lợi", "Tân Quan", "Thanh An", "Thanh Bình"]),
    ("697", "Huyện", "Đồng Phú", "Dong Phu", (106.955, 11.480), (107.04, 11.46),
     ["TT. Tân Phú", "Đồng Tâm", "Đồng Tiến", "Tân Hòa", "Tân Hưng", "Tân Lập", "Tân Lợi",
      "Tân Phước", "Tân Tiến", "Thuận Lợi", "Thuận Phú"]),
    ("698", "Huyện", "Bù Đăng", "Bu Dang", (107.240, 11.770), (107.27, 11.76),
     ["TT. Đức Phong", "Bom Bo", "Bình Minh", "Đắk Nhau", "Đoàn Kết", "Đồng Nai", "Đức Liễu",
      "Đường 10", "Minh Hưng", "Nghĩa Bình", "Nghĩa Trung", "Phú Sơn", "Phước Sơn", "Thọ Sơn",
      "Thống Nhất", "Đăng Hà"]),
    ("699", "Thị xã", "Chơn Thành", "Chon Thanh", (106.655, 11.430), (106.63, 11.42),
     ["P. Hưng Long", "P. Minh Hưng", "P. Minh Long", "P. Minh Thành", "P. Thành Tâm",
      "Minh Lập", "Minh Thắng", "Nha Bích", "Quang Minh"]),
    ("700", "Huyện", "Phú Riềng", "Phu Rieng", (106.945, 11.700), (106.89, 11.70),
     ["Phú Riềng", "Bình Sơn", "Bình Tân", "Bù Nho", "Long Bình", "Long Hà", "Long Hưng",
      "Long Tân", "Phú Trung", "Phước Tân"]),
]

# Roads as polylines through district seats and known junctions: (name, [(lon, lat), ...]).
ROADS = [
    ("Quốc lộ 13", [(106.64, 11.36), (106.655, 11.43), (106.69, 11.56), (106.607, 11.651),
                    (106.59, 11.84), (106.56, 11.96), (106.55, 12.00)]),
    ("Quốc lộ 14", [(106.655, 11.43), (106.78, 11.49), (106.883, 11.535), (106.98, 11.60),
                    (107.10, 11.68), (107.24, 11.77), (107.40, 11.86)]),
    ("Đường ĐT741", [(106.95, 11.36), (106.955, 11.48), (106.883, 11.535), (106.945, 11.70),
                     (106.985, 11.836), (107.03, 11.945), (107.08, 12.05)]),
    ("Đường ĐT759", [(106.985, 11.836), (106.91, 11.93), (106.83, 11.985)]),
    ("Đường ĐT757", [(106.607, 11.651), (106.75, 11.66), (106.945, 11.70)]),
    ("Đường ĐT753", [(106.955, 11.48), (107.10, 11.45), (107.22, 11.52)]),
]

# Where accidents happen: each road's share of the province's accidents and its number of
# black spots (clusters of accidents); the national highways carry most of the traffic.
ROAD_ACCIDENTS = {"Quốc lộ 13": (0.32, 3), "Quốc lộ 14": (0.30, 3), "Đường ĐT741": (0.18, 2),
                  "Đường ĐT759": (0.06, 1), "Đường ĐT757": (0.07, 1), "Đường ĐT753": (0.07, 1)}

# name, kind, district code, (lon, lat) or None for a spot near the district seat, visitors a year
# (order of magnitude of the year before the demo: about 1.5 million province-wide), profile
# of the year ("" the province's usual one, "rainy" best in the rainy season, "fruit" the
# fruit season, "memorial" anniversaries on 30/4 and in January).
TOURIST_SITES = [
    ("Vườn quốc gia Bù Gia Mập", "nature", "693", (107.17, 12.15), 38_000, ""),
    ("Núi Bà Rá", "nature", "691", (107.00, 11.82), 380_000, ""),
    ("Hồ Thác Mơ", "eco", "691", (107.03, 11.86), 95_000, ""),
    ("Trảng cỏ Bù Lạch", "nature", "698", (107.15, 11.96), 60_000, "rainy"),
    ("Sóc Bom Bo", "culture", "698", (107.18, 11.83), 75_000, ""),
    ("Khu di tích Tà Thiết", "history", "694", (106.50, 11.76), 48_000, "memorial"),
    ("Hồ Suối Lam", "eco", "689", (106.90, 11.55), 170_000, ""),
    ("Hồ Suối Cam", "eco", "689", (106.87, 11.52), 150_000, ""),
    ("Căn cứ Bộ chỉ huy Miền", "history", "694", (106.47, 11.80), 26_000, "memorial"),
    ("Thác Đứng", "nature", "693", (107.09, 12.00), 22_000, "rainy"),
    ("Di tích Nhà giao tế Lộc Ninh", "history", "694", (106.59, 11.845), 30_000, "memorial"),
    ("Đường Hồ Chí Minh huyền thoại", "history", "698", (107.26, 11.79), 16_000, "memorial"),
    ("Chùa Sóc Lớn", "culture", "692", (106.61, 11.66), 42_000, ""),
    ("Di tích Căn cứ Phước Long", "history", "691", (106.99, 11.84), 36_000, "memorial"),
    ("Khu du lịch sinh thái Mỹ Lệ", "eco", "697", (106.98, 11.49), 64_000, ""),
    ("Vườn cây ăn trái Chơn Thành", "eco", "699", (106.62, 11.42), 55_000, "fruit"),
    ("Thác Voi", "nature", "698", (107.33, 11.82), 12_000, "rainy"),
    ("Hồ Phước Hòa", "eco", "699", (106.72, 11.36), 30_000, ""),
]
