# SPDX-License-Identifier: GPL-3.0-or-later
# CTest registration of the widget tests (HeatmapView, CurvesView, GifWriter, ReplayExporter);
# include()d from tests/CMakeLists.txt. Sources are named relative to this file so any includer works.
# The tests run headless on Qt's offscreen platform.

add_executable(tst_heatmapview ${CMAKE_CURRENT_LIST_DIR}/tst_heatmapview.cpp)
target_link_libraries(tst_heatmapview PRIVATE attn_widgets Qt6::Test attn_build_flags)
set_target_properties(tst_heatmapview PROPERTIES AUTOMOC ON)
add_test(NAME tst_heatmapview COMMAND tst_heatmapview)
set_tests_properties(tst_heatmapview PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

add_executable(tst_curvesview ${CMAKE_CURRENT_LIST_DIR}/tst_curvesview.cpp)
target_link_libraries(tst_curvesview PRIVATE attn_widgets Qt6::Test attn_build_flags)
set_target_properties(tst_curvesview PROPERTIES AUTOMOC ON)
add_test(NAME tst_curvesview COMMAND tst_curvesview)
set_tests_properties(tst_curvesview PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# The GIF tests decode what they wrote with giflib's own reader.
add_executable(tst_gifwriter ${CMAKE_CURRENT_LIST_DIR}/tst_gifwriter.cpp)
target_link_libraries(tst_gifwriter PRIVATE attn_widgets attn_giflib Qt6::Test attn_build_flags)
set_target_properties(tst_gifwriter PROPERTIES AUTOMOC ON)
add_test(NAME tst_gifwriter COMMAND tst_gifwriter)
set_tests_properties(tst_gifwriter PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

add_executable(tst_replayexporter ${CMAKE_CURRENT_LIST_DIR}/tst_replayexporter.cpp)
target_link_libraries(tst_replayexporter PRIVATE attn_widgets attn_giflib Qt6::Test attn_build_flags)
set_target_properties(tst_replayexporter PROPERTIES AUTOMOC ON)
add_test(NAME tst_replayexporter COMMAND tst_replayexporter)
set_tests_properties(tst_replayexporter PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# The feature, sentiment, self-attention and compare views (issue 3).
foreach(t tst_featureweightsview tst_sentenceview tst_selfattentionview tst_comparecurvesview)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.cpp)
  target_link_libraries(${t} PRIVATE attn_widgets Qt6::Test attn_build_flags)
  set_target_properties(${t} PROPERTIES AUTOMOC ON)
  add_test(NAME ${t} COMMAND ${t})
  set_tests_properties(${t} PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endforeach()

# SentenceLayout, SentenceView's geometry without the widget.
add_executable(tst_sentencelayout ${CMAKE_CURRENT_LIST_DIR}/tst_sentencelayout.cpp)
target_link_libraries(tst_sentencelayout PRIVATE attn_widgets Qt6::Test attn_build_flags)
set_target_properties(tst_sentencelayout PROPERTIES AUTOMOC ON)
add_test(NAME tst_sentencelayout COMMAND tst_sentencelayout)
set_tests_properties(tst_sentencelayout PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
