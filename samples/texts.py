"""Running text of the generated documents: legal bases, articles, letter topics, form values.

Placeholders in braces are filled by `samples.specs`. The legal instruments cited are real.
"""

from __future__ import annotations

from typing import NamedTuple


class Topic(NamedTuple):
    subject: str  # trích yếu without "V/v"
    points: tuple[str, ...]  # body paragraphs


LOCAL_GOVERNMENT_LAW = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều "
    "của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;"
)
LEGAL_DOCUMENTS_LAW = (
    "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số "
    "điều của Luật Ban hành văn bản quy phạm pháp luật ngày 18 tháng 6 năm 2020;"
)
LAND_BASES = (
    "Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;",
    "Căn cứ Nghị định số 43/2014/NĐ-CP ngày 15 tháng 5 năm 2014 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Đất đai;",
)
LAND_DUTIES = (
    "Giao Phòng Tài nguyên và Môi trường chủ trì, phối hợp với UBND {commune} tổ chức bàn giao đất trên thực "
    "địa, chỉnh lý hồ sơ địa chính; Chi cục Thuế khu vực xác định và thông báo nghĩa vụ tài chính theo quy định."
)
LAND_EXECUTION = (
    "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND {district}; Trưởng phòng Tài "
    "nguyên và Môi trường; Chủ tịch UBND {commune} và {household} chịu trách nhiệm thi hành Quyết định này./."
)
CULTURE_BASIS = (
    "Căn cứ Nghị định số 122/2018/NĐ-CP ngày 17 tháng 9 năm 2018 của Chính phủ quy định về xét tặng danh hiệu "
    "“Gia đình văn hóa”; “Thôn văn hóa”, “Làng văn hóa”, “Ấp văn hóa”, “Bản văn hóa”, “Tổ dân phố văn hóa”;"
)
CULTURE_DUTIES = (
    "Các thôn, tổ dân phố được công nhận có trách nhiệm duy trì, phát huy các tiêu chí đã đạt được; thực hiện "
    "tốt phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” gắn với xây dựng nông thôn mới và đô thị văn minh."
)
CULTURE_EXECUTION = (
    "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND huyện, Trưởng phòng Văn hóa và "
    "Thông tin, Chủ tịch UBND các {units} và các thôn, tổ dân phố có tên tại Điều 1 chịu trách nhiệm thi hành "
    "Quyết định này./."
)
NEW_RURAL_BASIS = (
    "Căn cứ Quyết định số 318/QĐ-TTg ngày 08 tháng 3 năm 2022 của Thủ tướng Chính phủ ban hành Bộ tiêu chí "
    "quốc gia về xã nông thôn mới giai đoạn 2021 - 2025;"
)
NEW_RURAL_DUTIES = (
    "UBND {district} có trách nhiệm chỉ đạo tiếp tục duy trì, nâng cao chất lượng các tiêu chí nông thôn mới, "
    "hướng tới xây dựng xã đạt chuẩn nông thôn mới nâng cao."
)
NEW_RURAL_EXECUTION = (
    "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh; Giám đốc các sở, ban, ngành; Chủ tịch "
    "UBND {where} và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./."
)
REGULATION_TOPICS = (
    "về phân cấp quản lý nhà nước đối với hoạt động số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "về quản lý, vận hành và khai thác Hệ thống thông tin giải quyết thủ tục hành chính tỉnh",
    "về phối hợp trong công tác đăng ký, quản lý hộ tịch",
)
REGULATION_EXECUTION = (
    "Chánh Văn phòng UBND tỉnh; Giám đốc các sở, ban, ngành; Chủ tịch UBND các huyện, thành phố và các tổ "
    "chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./."
)

DIGITISATION_CONTEXT = (
    "Thực hiện Quyết định số 1204/QĐ-UBND ngày 29 tháng 6 năm 2022 của UBND tỉnh Vĩnh Phúc phê duyệt Đề án số "
    "hóa hồ sơ, kết quả giải quyết thủ tục hành chính trên địa bàn tỉnh, {short} đề nghị các cơ quan, đơn vị "
    "thực hiện một số nội dung sau:"
)
LETTER_CLOSING = (
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các cơ quan, đơn vị phản ánh về {short} "
    "để được hướng dẫn, giải quyết./."
)
JUSTICE_TOPICS = (
    Topic("hướng dẫn số hóa Sổ đăng ký hộ tịch và kết quả đăng ký hộ tịch đã cấp", (
        "1. Rà soát toàn bộ Sổ đăng ký khai sinh, kết hôn, khai tử đang lưu trữ; lập danh mục các sổ còn thiếu "
        "hoặc hư hỏng, báo cáo trước ngày 15 của tháng cuối quý.",
        "2. Thực hiện số hóa theo thứ tự ưu tiên các sổ đăng ký khai sinh; dữ liệu sau khi số hóa phải được kiểm "
        "tra, đối chiếu với bản gốc trước khi cập nhật vào Cơ sở dữ liệu hộ tịch điện tử.",
        "3. Bố trí công chức Tư pháp - Hộ tịch có đủ năng lực thực hiện; không thu phí đối với công dân khi "
        "khai thác dữ liệu đã được số hóa.",
    )),
    Topic("hướng dẫn thực hiện chứng thực bản sao điện tử từ bản chính", (
        "1. Niêm yết công khai thủ tục chứng thực bản sao điện tử từ bản chính tại Bộ phận Tiếp nhận và Trả kết "
        "quả; tiếp nhận yêu cầu trên Cổng Dịch vụ công quốc gia.",
        "2. Bản sao điện tử phải được ký số bởi người có thẩm quyền và đóng dấu số của cơ quan; lưu trữ bản "
        "chứng thực điện tử theo đúng quy định.",
        "3. Định kỳ hằng tháng tổng hợp số lượng bản sao điện tử đã chứng thực, báo cáo về Sở Tư pháp.",
    )),
)
COMMITTEE_TOPICS = (
    Topic("đôn đốc số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực", (
        "1. Khẩn trương rà soát, thống kê kết quả giải quyết thủ tục hành chính còn hiệu lực đang lưu giữ tại "
        "cơ quan, đơn vị; xây dựng kế hoạch số hóa chi tiết theo từng năm.",
        "2. Bảo đảm 100% kết quả giải quyết thủ tục hành chính cấp mới được số hóa và cập nhật vào Kho quản lý "
        "dữ liệu điện tử của tổ chức, cá nhân.",
    )),
    Topic("tăng cường kỷ luật, kỷ cương trong giải quyết thủ tục hành chính", (
        "1. Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch UBND về tình trạng hồ sơ trễ hạn; "
        "thực hiện xin lỗi tổ chức, cá nhân khi để hồ sơ quá hạn.",
        "2. Tăng cường kiểm tra công vụ, xử lý nghiêm cán bộ, công chức có hành vi nhũng nhiễu, gây phiền hà.",
    )),
)
# Letters of a police unit, a hospital and a tax office (samples.specs.sector_letter).
SECTOR_TOPICS = {
    "police": Topic("tăng cường bảo đảm trật tự an toàn giao thông dịp cao điểm", (
        "Để bảo đảm trật tự an toàn giao thông trong dịp cao điểm, {short} đề nghị các cơ quan, đơn vị phối "
        "hợp tuyên truyền, vận động cán bộ, nhân dân chấp hành nghiêm quy định về nồng độ cồn và tốc độ.",
        "Các tổ công tác tăng cường tuần tra, kiểm soát trên các tuyến quốc lộ, tỉnh lộ trọng điểm.",
    )),
    "police_admin": Topic("cập nhật thông tin cư trú vào Cơ sở dữ liệu quốc gia về dân cư", (
        "Thực hiện Luật Cư trú năm 2020, {short} đề nghị Công an các xã, phường, thị trấn rà soát, cập nhật "
        "đầy đủ thông tin cư trú của công dân vào Cơ sở dữ liệu quốc gia về dân cư.",
        "Kết quả thực hiện báo cáo trước ngày 25 hằng tháng để tổng hợp.",
    )),
    "hospital": Topic("cung cấp hồ sơ bệnh án điện tử phục vụ giám định", (
        "{short} nhận được đề nghị cung cấp bản sao hồ sơ bệnh án phục vụ công tác giám định y khoa.",
        "Bệnh viện đề nghị quý cơ quan cử cán bộ liên hệ Phòng Kế hoạch tổng hợp để nhận hồ sơ theo quy định.",
    )),
    "tax": Topic("đôn đốc nộp hồ sơ khai thuế của hộ kinh doanh", (
        "{short} thông báo đến các hộ kinh doanh trên địa bàn thời hạn nộp hồ sơ khai thuế khoán năm nay.",
        "Hộ kinh doanh chưa nộp hồ sơ đúng hạn sẽ bị xử phạt vi phạm hành chính theo quy định của pháp luật.",
    )),
}
PROVINCE_RECIPIENTS = ("- Các sở, ban, ngành thuộc tỉnh;", "- UBND các huyện, thành phố.")
DISTRICT_RECIPIENTS = ("- Các cơ quan, đơn vị thuộc UBND huyện;", "- UBND các xã, thị trấn.")
ALL_DISTRICTS_AND_COMMUNES = ("- UBND các huyện, thành phố;", "- UBND các xã, phường, thị trấn.")
BUSINESS_REVIEW = Topic("rà soát, cập nhật thông tin hộ kinh doanh trên địa bàn", (
    "Thực hiện chỉ đạo của UBND huyện về việc chuẩn hóa dữ liệu đăng ký hộ kinh doanh, Phòng Tài chính - Kế "
    "hoạch đề nghị UBND các xã, thị trấn rà soát các hộ kinh doanh đang hoạt động trên địa bàn, đối chiếu với "
    "danh sách kèm theo Công văn này.",
    "Kết quả rà soát gửi về Phòng Tài chính - Kế hoạch bằng văn bản và bản điện tử, trong đó ghi rõ số định "
    "danh cá nhân của chủ hộ kinh doanh, địa điểm kinh doanh và tình trạng hoạt động.",
))
NOTICE_TOPICS = (
    Topic("Kết quả kiểm tra công tác cải cách hành chính năm {year}", (
        "Vào {earlier}, Đoàn kiểm tra của {short} đã tiến hành kiểm tra công tác cải cách hành chính tại một số "
        "cơ quan, đơn vị. Qua kiểm tra, Đoàn kiểm tra thông báo kết quả như sau:",
        "Các cơ quan, đơn vị đã ban hành kế hoạch cải cách hành chính, niêm yết công khai thủ tục hành chính "
        "đúng quy định; tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.",
        "Tuy nhiên, việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn chậm; một số đơn vị chưa cập "
        "nhật đầy đủ dữ liệu lên Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.",
    )),
    Topic("Về việc tạm dừng tiếp nhận hồ sơ trực tuyến để nâng cấp hệ thống", (
        "Để nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính, {short} thông báo tạm dừng tiếp nhận hồ "
        "sơ trực tuyến từ 17 giờ 00 phút đến 22 giờ 00 phút, kể từ {later}.",
        "Trong thời gian trên, tổ chức, cá nhân có nhu cầu vui lòng nộp hồ sơ trực tiếp tại Bộ phận Tiếp nhận "
        "và Trả kết quả hoặc qua dịch vụ bưu chính công ích.",
    )),
)

BUSINESS_LINES = (
    ("Bán lẻ hàng tạp hóa, đồ uống các loại", "Tạp hóa"),
    ("Kinh doanh dịch vụ ăn uống", "Quán ăn"),
    ("Sửa chữa xe máy, bán phụ tùng xe máy", "Sửa xe"),
    ("Bán lẻ vật liệu xây dựng", "Vật liệu xây dựng"),
    ("Cắt tóc, gội đầu", "Salon tóc"),
)
BIRTH_PLACES = ("Trạm Y tế {where}", "Bệnh viện Sản - Nhi tỉnh Vĩnh Phúc", "Bệnh viện Đa khoa tỉnh Vĩnh Phúc")
SERIAL_PREFIXES = ("BD", "BS", "CĐ", "CH", "DA")
PERMIT_VALIDITY = (
    "4. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp; quá thời hạn "
    "trên thì phải đề nghị gia hạn giấy phép xây dựng."
)

# ---- land titles ---------------------------------------------------------------------------

LAND_TITLE_SERIALS = ("AA", "BA", "CS", "CT", "DA")  # ASCII letters only: truth `land_serial`
LAND_USES = ("Sử dụng riêng", "Sử dụng chung")

# ---- plans, reports and schemes ------------------------------------------------------------

# Subjects take {year}, {previous}, {period} (`6 tháng đầu năm 2024` or `năm 2023`), {until}
# (a later year) and {area} (`tỉnh Vĩnh Phúc`, `huyện Tam Dương`).
PLAN_SUBJECTS = (
    "Số hóa kết quả giải quyết thủ tục hành chính năm {year}",
    "Cải cách hành chính năm {year} trên địa bàn {area}",
    "Kiểm tra công tác cải cách hành chính năm {year}",
    "Triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử năm {year}",
)
REPORT_SUBJECTS = (
    "Kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính {period}",
    "Tình hình thực hiện cơ chế một cửa, một cửa liên thông {period}",
    "Kết quả thực hiện công tác cải cách hành chính {period}",
)
SCHEME_SUBJECTS = (
    "Số hóa hồ sơ, tài liệu lưu trữ giai đoạn {year} - {until}",
    "Nâng cao chất lượng cung cấp dịch vụ công trực tuyến trên địa bàn {area} giai đoạn {year} - {until}",
    "Xây dựng chính quyền số {area} giai đoạn {year} - {until}",
)
# (section heading, paragraphs it may carry); {short} is how the issuer names itself.
PLAN_SECTIONS = (
    ("I. MỤC ĐÍCH, YÊU CẦU", (
        "Thực hiện Quyết định số 1204/QĐ-UBND ngày 29 tháng 6 năm 2022 của UBND tỉnh Vĩnh Phúc, bảo đảm 100% "
        "kết quả giải quyết thủ tục hành chính còn hiệu lực được số hóa, cập nhật vào Kho quản lý dữ liệu điện tử.",
        "Việc số hóa phải thực hiện đúng quy trình, bảo đảm tính chính xác, toàn vẹn của dữ liệu; xác định rõ "
        "trách nhiệm của từng cơ quan, đơn vị và thời hạn hoàn thành.",
    )),
    ("II. NỘI DUNG THỰC HIỆN", (
        "1. Rà soát, thống kê kết quả giải quyết thủ tục hành chính đang lưu giữ; phân loại theo lĩnh vực và "
        "theo năm cấp; hoàn thành trong quý I.",
        "2. Tổ chức số hóa, kiểm tra, đối chiếu dữ liệu với bản gốc; cập nhật kết quả số hóa lên Hệ thống thông "
        "tin giải quyết thủ tục hành chính của tỉnh.",
        "3. Bố trí kinh phí từ nguồn ngân sách được giao; ưu tiên thiết bị quét và nhân lực cho Bộ phận Tiếp "
        "nhận và Trả kết quả.",
    )),
    ("III. TỔ CHỨC THỰC HIỆN", (
        "Văn phòng {short} chủ trì, theo dõi, đôn đốc việc thực hiện Kế hoạch; định kỳ hằng quý tổng hợp kết "
        "quả, báo cáo Chủ tịch UBND.",
    )),
)
REPORT_SECTIONS = (
    ("I. KẾT QUẢ THỰC HIỆN", (
        "Trong kỳ báo cáo, {short} đã tiếp nhận và giải quyết các hồ sơ thủ tục hành chính đúng quy định; tỷ lệ "
        "hồ sơ giải quyết đúng hạn đạt trên 98%, tỷ lệ hồ sơ được số hóa thành phần hồ sơ đạt trên 80%.",
        "Công tác số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực được triển khai đồng bộ; dữ liệu "
        "sau số hóa được kiểm tra, đối chiếu với bản gốc trước khi cập nhật.",
    )),
    ("II. TỒN TẠI, HẠN CHẾ", (
        "Một số đơn vị chưa bố trí đủ thiết bị quét; kết quả giải quyết thủ tục hành chính cấp trước năm 2015 "
        "còn nhiều bản bị hư hỏng, khó số hóa.",
    )),
    ("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", (
        "Tiếp tục rà soát, số hóa kết quả giải quyết thủ tục hành chính còn tồn đọng; tăng cường kiểm tra, đôn "
        "đốc các cơ quan, đơn vị thực hiện đúng tiến độ đề ra.",
        "Đề nghị UBND tỉnh quan tâm bố trí kinh phí hỗ trợ đầu tư trang thiết bị phục vụ công tác số hóa.",
    )),
)
SCHEME_SECTIONS = (
    ("I. SỰ CẦN THIẾT XÂY DỰNG ĐỀ ÁN", (
        "Khối lượng hồ sơ, tài liệu lưu trữ tại các cơ quan, đơn vị ngày càng lớn, nhiều tài liệu có nguy cơ "
        "hư hỏng; việc tra cứu, khai thác còn thủ công, mất nhiều thời gian.",
    )),
    ("II. MỤC TIÊU", (
        "Đến hết giai đoạn, 100% hồ sơ, tài liệu có giá trị bảo quản vĩnh viễn được số hóa và quản lý trên hệ "
        "thống quản lý tài liệu điện tử; phục vụ khai thác trực tuyến cho tổ chức, cá nhân.",
    )),
    ("III. NHIỆM VỤ, GIẢI PHÁP", (
        "1. Chỉnh lý, phân loại hồ sơ, tài liệu trước khi số hóa; lập danh mục theo từng phông lưu trữ.",
        "2. Đầu tư hạ tầng kỹ thuật, thiết bị số hóa; đào tạo, bồi dưỡng công chức làm công tác văn thư, lưu trữ.",
    )),
    ("IV. TỔ CHỨC THỰC HIỆN", (
        "Giao Văn phòng {short} chủ trì, phối hợp với các cơ quan, đơn vị liên quan triển khai thực hiện Đề án; "
        "hằng năm xây dựng kế hoạch chi tiết, báo cáo kết quả thực hiện.",
    )),
)
