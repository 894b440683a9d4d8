"""The IOC monitoring domains (see DESIGN.md): id -> Vietnamese and English names."""

DOMAINS: dict[str, tuple[str, str]] = {
    "admin": ("Đơn vị hành chính", "Administrative units"),
    "socioeconomic": ("Chỉ tiêu kinh tế - xã hội", "Socio-economic indicators"),
    "public_services": ("Dịch vụ công", "Public services"),
    "traffic": ("An toàn giao thông", "Traffic safety"),
    "security": ("An ninh, trật tự", "Security and order"),
    "citizen": ("Phản ánh của công dân", "Citizen interaction"),
    "health": ("Y tế", "Health"),
    "education": ("Giáo dục", "Education"),
    "land": ("Đất đai, quy hoạch", "Land and planning"),
    "cyber": ("An ninh mạng", "Cybersecurity"),
    "media": ("Báo chí, mạng xã hội", "Press and social media"),
    "tourism": ("Du lịch", "Tourism"),
    "other": ("Dữ liệu khác", "Other data"),
    "alerts": ("Cảnh báo", "Alerts"),
}
