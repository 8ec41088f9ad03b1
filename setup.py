# All settings live in settings.ini (nbdev 2); this file only maps them to setuptools.
from configparser import ConfigParser
import setuptools, shlex

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))

setuptools.setup(
    name=cfg['lib_name'], version=cfg['version'], description=cfg['description'],
    keywords=cfg['keywords'], author=cfg['author'], author_email=cfg['author_email'],
    license='Apache Software License 2.0', url=cfg['git_url'],
    classifiers=['Programming Language :: Python :: 3', 'Framework :: Jupyter',
                 'License :: OSI Approved :: Apache Software License'],
    packages=setuptools.find_packages(include=['ocnb', 'ocnb.*']),
    include_package_data=True, package_data={'ocnb': ['tables/*.json']},   # the datasets' tables (ocnb/tables/)
    install_requires=requirements,
    extras_require={'dev': dev_requirements}, python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown', zip_safe=False,
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']})
