"""The departments of a Vietnamese province's People's Committee that supply the IOC's data
sets (data, not code: an administrator renames, merges or adds them as the province reorganises)."""

from django.db import migrations

DEPARTMENTS = [
    ("so_yte", "Sở Y tế", "Department of Health"),
    ("so_gddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("so_khdt", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment"),
    ("so_tc", "Sở Tài chính", "Department of Finance"),
    ("so_ct", "Sở Công Thương", "Department of Industry and Trade"),
    ("so_ldtbxh", "Sở Lao động - Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs"),
    ("cuc_tk", "Cục Thống kê", "Provincial Statistics Office"),
    ("cong_an", "Công an tỉnh", "Provincial Police"),
    ("so_vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    ("so_tttt", "Sở Thông tin và Truyền thông", "Department of Information and Communications"),
    ("so_tnmt", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment"),
    ("so_gtvt", "Sở Giao thông vận tải", "Department of Transport"),
    ("vp_ubnd", "Văn phòng UBND tỉnh", "Office of the Provincial People's Committee"),
]


def add(apps, schema_editor):
    Department = apps.get_model("layers", "Department")
    for code, name, name_en in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("layers", "0020_intake")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
