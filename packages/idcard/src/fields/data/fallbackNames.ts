/**
 * A small list of common Vietnamese family, middle and given names, written for this package
 * (not taken from any dataset), used when no fuller lexicon is given. Names are an open set:
 * the list is evidence for a reading, never a reason to change a confident one.
 */
export const fallbackNames = {
  family: `Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh
Trương Lâm Phùng Mai Tô Hà Tạ Lương Đinh Cao Chu Châu La Lại Lưu Quách Tăng Thái Tôn Triệu Văn Vi
Kiều Khổng Khúc Kim Lò Lục Mạc Nghiêm Nông Ông Phí Quan Sầm Tống Từ Ung Âu Bạch Bế Cù Diệp Doãn Đàm
Đồng Giang Giáp Hứa Khương Khuất Lã Lạc Lăng Liễu Lộc Mạch Ninh Nhan Phó Phương Quản Tiêu Thân Thạch
Trình Viên Hầu Hàn Hoa An Đậu Đường Hoàng Lục Lường Mông Quàng Sùng Thào Vàng Giàng Cầm Hà`,
  middle: `Văn Thị Minh Hoàng Ngọc Thanh Đức Quốc Hữu Thu Xuân Hồng Anh Kim Gia Bảo Công Đình Quang Tuấn
Thành Trung Hải Mạnh Tiến Phương Khánh Thùy Mai Thúy Diệu Bích Phúc Như Cẩm Tấn Trọng Huy Nhật Duy Việt
Hoài Thế Vĩnh Khắc Bá Mỹ Tuyết Kiều Lan Hà Thảo Trà Yến Quỳnh Ánh Hương Nguyệt Phước Chí Nam Hiếu Thái
Long Tường Vân Ái Tâm Hạnh Đăng Sỹ Sĩ Trường Hoa Huyền Linh Tú Tùng Sơn Phú Viết Doãn Cao Lê Trần Nguyễn`,
  given: `Anh Huy Tuấn Duy Hùng Dũng Hải Nam Long Minh Đức Hiếu Hiệp Hoàng Khoa Khánh Khang Kiên Lâm Linh
Lộc Lợi Luân Mạnh Nghĩa Nhân Phong Phúc Phước Quân Quang Quốc Sang Sơn Tài Tâm Tân Thắng Thanh Thành
Thiện Thịnh Toàn Trí Trung Trường Tú Tùng Việt Vinh Vũ Bảo Bình Cường Đạt Định Đông Giang Hà Hậu Hiển
Hòa Hưng Kha Khôi Lực Nhật Phát Phú Quý Sĩ Tiến Tín Tuệ Thông Thuận Triều Văn Vương Yên An Châu Chi
Diệp Diễm Dung Duyên Giao Hân Hạnh Hằng Hiền Hoa Hồng Huệ Hương Huyền Khuê Lan Liên Loan Ly Mai My Nga
Ngân Ngọc Nguyệt Nhi Nhung Oanh Phương Quyên Quỳnh Thảo Thơ Thu Thư Thủy Thúy Thùy Trang Trâm Trinh
Tuyết Uyên Vân Vi Xuân Yến Ánh Ngân Hạ Hường Lệ Lý Mến Mơ Nhàn Nhiên Nương Phượng Sương Tiên Trà
Tươi Cúc Đào Gấm Huế Lài Lụa Mận Na Ngà Như Sen Thắm Thoa Thục Vy Đan Kim Cẩm Bích Tường Trúc Ngà Hiệp`,
} as const;
